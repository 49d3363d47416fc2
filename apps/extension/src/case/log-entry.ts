import type { CommentVisibility, LogEntry } from '../messaging/protocol.ts';

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
    const n = entry.messages.length;
    return [
      { text: n === 1 ? 'Email logged from Gmail by Baton' : `${n} emails logged from Gmail by Baton` },
      { label: 'Subject', text: entry.subject },
      { label: 'Link', text: entry.link, href: safeHref(entry.link) },
      ...entry.messages.flatMap((m): LogLine[] => [
        { label: 'From', text: m.from.name === '' ? m.from.email : `${m.from.name} <${m.from.email}>` },
        { label: 'Date', text: m.date },
        { text: m.text.length > MAX_LOGGED_TEXT ? `${m.text.slice(0, MAX_LOGGED_TEXT)}…` : m.text },
      ]),
    ];
  }
  return [
    { text: `Salesforce ${entry.object} logged by Baton` },
    { label: 'Record', text: `${entry.name} (${entry.recordId})` },
    ...entry.fields.map((f) => ({ label: f.label, text: f.value })),
    { label: 'Link', text: entry.link, href: safeHref(entry.link) },
  ];
}

/** The entry with only the messages the rep chose (indexes into the thread, oldest first); null if none. */
export function chooseMessages(entry: LogEntry, chosen: readonly number[]): LogEntry | null {
  if (entry.kind !== 'email') return entry;
  const messages = entry.messages.filter((_, i) => chosen.includes(i));
  return messages.length === 0 ? null : { ...entry, messages };
}

/** The comment properties that give a logged comment its visibility (see CommentVisibilitySchema). */
export function visibilityProperties(visibility: CommentVisibility): Readonly<Record<string, unknown>> {
  return visibility === 'internal' ? { 'sd.public.comment': { internal: true } } : {};
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
