/**
 * CSV cells (RFC 4180): quoted when needed. A cell that a spreadsheet would run as a formula
 * (=, +, @, a tab, or - followed by text) gets a leading apostrophe, because these files hold
 * text from tickets and event logs, which is data and must stay inert.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1e6) / 1e6) : '';
  let text = String(value);
  if (/^[=+@\t\r]/.test(text) || /^-(?![\d.\s]*$)/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}
