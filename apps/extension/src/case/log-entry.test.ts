import { adfProblem, adfToText } from '@baton/jira-sim';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../messaging/protocol.ts';
import { adfFromLines } from './adf.ts';
import { chooseMessages, logEntryLines, logEntryText, safeHref, visibilityProperties } from './log-entry.ts';

const message = fc.record({
  from: fc.record({ name: fc.string(), email: fc.string() }),
  date: fc.string(),
  text: fc.string({ maxLength: 5000 }),
});
const email = fc.record({
  kind: fc.constant('email' as const),
  subject: fc.string(),
  messages: fc.array(message, { minLength: 1, maxLength: 4 }),
  link: fc.oneof(fc.webUrl(), fc.string()),
});
const record = fc.record({
  kind: fc.constant('record' as const),
  object: fc.string(),
  recordId: fc.string(),
  name: fc.string(),
  fields: fc.array(fc.record({ label: fc.string(), value: fc.string() }), { maxLength: 10 }),
  link: fc.oneof(fc.webUrl(), fc.string()),
});
const entries: fc.Arbitrary<LogEntry> = fc.oneof(email, record);
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

describe('log entries', () => {
  it('always become ADF that Jira accepts', () => {
    fc.assert(fc.property(entries, (e) => adfProblem(adfFromLines(logEntryLines(e))) === undefined));
  });

  it('write to Jira exactly what the rep was shown', () => {
    fc.assert(fc.property(entries, (e) => norm(adfToText(adfFromLines(logEntryLines(e)))) === norm(logEntryText(e))));
  });

  it('cut very long emails and link only web addresses', () => {
    const long: LogEntry = {
      kind: 'email',
      subject: 's',
      messages: [{ from: { name: '', email: 'a@b.c' }, date: 'd', text: 'x'.repeat(9000) }],
      link: 'javascript:alert(1)',
    };
    const lines = logEntryLines(long);
    expect(lines.at(-1)!.text).toHaveLength(4001);
    expect(lines.find((l) => l.label === 'Link')!.href).toBeUndefined();
    expect(lines.find((l) => l.label === 'From')!.text).toBe('a@b.c');
    expect(safeHref('https://acme.lightning.force.com/lightning/r/Account/001/view')).toBe(
      'https://acme.lightning.force.com/lightning/r/Account/001/view',
    );
    expect(safeHref('data:text/html,hi')).toBeUndefined();
  });

  it('log only the messages the rep chose, in thread order, and none when none is chosen', () => {
    const thread: LogEntry = {
      kind: 'email',
      subject: 'Re: VAT',
      messages: ['first', 'second', 'third'].map((text, i) => ({
        from: { name: `P${i}`, email: `p${i}@x.example` },
        date: `d${i}`,
        text,
      })),
      link: 'https://mail.google.com/mail/u/0/#inbox/x',
    };
    const chosen = chooseMessages(thread, [2, 0]);
    const text = logEntryText(chosen!);
    expect(text).toMatch(/^2 emails logged from Gmail by Baton/);
    expect(text.indexOf('first')).toBeLessThan(text.indexOf('third'));
    expect(text).not.toContain('second');
    expect(chooseMessages(thread, [])).toBeNull();
  });

  it('make a comment internal in Service Management unless the rep chose public', () => {
    expect(visibilityProperties('internal')).toEqual({ 'sd.public.comment': { internal: true } });
    expect(visibilityProperties('public')).toEqual({});
  });
});
