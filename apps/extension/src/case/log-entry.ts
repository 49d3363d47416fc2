import type { LogEntry } from '../messaging/protocol.ts';

// One source for what "Log to Jira" writes: the overlay previews `logEntryLines` as text, the
// background turns the same lines into ADF. A test checks that both say the same thing.

export interface LogLine {
  readonly label?: string;
  readonly text: string;
  readonly href?: string;
}

/** Email bodies are cut so that one comment stays readable (Jira's own limit is far higher). */
export const MAX_LOGGED_TEXT = 4000;

export function logEntryLines(entry: LogEntry): LogLine[] {
  if (entry.kind === 'email') {
    const body = entry.text.length > MAX_LOGGED_TEXT ? `${entry.text.slice(0, MAX_LOGGED_TEXT)}…` : entry.text;
    return [
      { text: 'Email logged from Gmail by Baton' },
      { label: 'Subject', text: entry.subject },
      { label: 'From', text: entry.from.name === '' ? entry.from.email : `${entry.from.name} <${entry.from.email}>` },
      { label: 'Date', text: entry.date },
      { label: 'Link', text: entry.link, href: safeHref(entry.link) },
      { text: body },
    ];
  }
  return [
    { text: `Salesforce ${entry.object} logged by Baton` },
    { label: 'Record', text: `${entry.name} (${entry.recordId})` },
    ...entry.fields.map((f) => ({ label: f.label, text: f.value })),
    { label: 'Link', text: entry.link, href: safeHref(entry.link) },
  ];
}

export function logEntryText(entry: LogEntry): string {
  return logEntryLines(entry)
    .map((l) => (l.label === undefined ? l.text : `${l.label}: ${l.text}`))
    .join('\n\n');
}

/** Only web links become links; anything else (javascript:, data:) stays plain text. */
export function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
