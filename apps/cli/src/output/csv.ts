/**
 * CSV cells (RFC 4180): quoted when needed. A cell that a spreadsheet would run as a formula
 * (=, +, @, a tab, or - followed by text) gets a leading apostrophe, because these files hold
 * text from tickets and event logs, which is data and must stay inert.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : '';
  let text = String(value);
  const first = text.charCodeAt(0);
  // = + @ tab CR always; - unless the rest is a number: the only first characters that need a look.
  if (first === 61 || first === 43 || first === 64 || first === 9 || first === 13 || first === 45) {
    if (/^[=+@\t\r]/.test(text) || /^-(?![\d.\s]*$)/.test(text)) text = `'${text}`;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 44 || c === 13 || c === 10) return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}
