import { describe, expect, it } from 'vitest';
import { dueText } from './due-text.ts';

const DUE = new Date('2026-11-24T17:00:00Z');

describe('dueText', () => {
  it('says how long until the due time, and the time in the rep’s zone, not UTC', () => {
    const text = dueText(DUE, new Date('2026-11-24T12:00:00Z'), 'en-GB', 'Europe/Berlin');
    expect(text).toBe('due in 5 hours (Tue 24 Nov, 18:00 CET)');
    expect(text).not.toContain('2026-11-24T17:00');
  });

  it('says overdue after the due time, in days when it is long past, in the rep’s language', () => {
    expect(dueText(DUE, new Date('2026-11-27T17:00:00Z'), 'en-US', 'America/New_York')).toBe(
      'overdue, due 3 days ago (Tue, Nov 24, 12:00 PM EST)',
    );
    expect(dueText(DUE, new Date('2026-11-24T16:30:00Z'), 'de-DE', 'Europe/Berlin')).toBe(
      'due in 30 Minuten (Di., 24. Nov., 18:00 MEZ)',
    );
  });
});
