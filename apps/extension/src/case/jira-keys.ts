/**
 * Jira issue keys mentioned in a text (`SUP-12`, `[OPS-7]`). Tokens that look like keys but are
 * standards or encodings (`UTF-8`, `ISO-8601`, `SHA-256`) are dropped; a rep who writes about them
 * does not mean an issue. Order of first appearance, no duplicates.
 */
const NOT_PROJECTS = new Set([
  'UTF',
  'ISO',
  'SHA',
  'RFC',
  'CVE',
  'MD',
  'TLS',
  'SSL',
  'HTTP',
  'COVID',
  'GPT',
  'IPV',
  'WIN',
  'USB',
  'PCI',
  'SOC',
  'GDPR',
  'EN',
  'DIN',
  'IEC',
  'ANSI',
  'CP',
  'A',
  'B',
  'X',
]);
const KEY = /(?<![A-Za-z0-9_-])([A-Z][A-Z0-9_]{1,9})-([1-9]\d{0,6})(?![A-Za-z0-9_]|-\d)/g;

export function findJiraKeys(text: string, limit = 20): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(KEY)) {
    const project = m[1] as string;
    if (NOT_PROJECTS.has(project)) continue;
    const key = `${project}-${m[2]}`;
    if (!out.includes(key)) out.push(key);
    if (out.length >= limit) break;
  }
  return out;
}

/** A subject without reply/forward prefixes and bracketed tags, for a Jira text search. */
export function searchableSubject(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|wg|sv|tr|rv)\s*(\[\d+\])?\s*:\s*/i, '').replace(/^\[[^\]]{0,40}\]\s*/, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').slice(0, 200);
}
