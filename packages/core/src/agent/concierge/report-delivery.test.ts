import { describe, expect, it } from 'vitest';
import { parseCharter } from '../../charter/parse-charter.ts';
import { dailyReportDue, reportRecipients } from './report-delivery.ts';

const charterOf = (input: Record<string, unknown>) => {
  const r = parseCharter({ version: 2, ...input });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('reportRecipients', () => {
  it('names people as listed and a team as its lead and members, each once', () => {
    const charter = charterOf({
      routing: { teams: [{ id: 'billing', lead: 'u-grace', members: [{ id: 'u-ada' }, { id: 'u-grace' }] }] },
      report: { to: ['u-linus', 'billing', 'u-ada'] },
    });
    expect(reportRecipients(charter)).toEqual(['u-linus', 'u-grace', 'u-ada']);
  });

  it('names nobody by default, and an existing charter without the section stays valid', () => {
    expect(reportRecipients(charterOf({}))).toEqual([]);
    expect(charterOf({}).report).toEqual({ to: [], at: '08:00' });
  });

  it('refuses a time of day that is not HH:MM, naming the field', () => {
    const r = parseCharter({ version: 2, report: { to: ['u-ada'], at: '8am' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toEqual(['report', 'at']);
  });
});

describe('dailyReportDue', () => {
  const berlin = {
    calendars: { default: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']] }, holidays: [] } },
  };

  it('is due from the local time of day on, for the local day', () => {
    const charter = charterOf({ ...berlin, report: { to: ['u-ada'], at: '08:00' } });
    // 06:59 UTC is 07:59 in Berlin (CET, +1): not yet; 07:00 UTC is 08:00 there.
    expect(dailyReportDue(charter, Date.UTC(2026, 10, 23, 6, 59))).toBeNull();
    expect(dailyReportDue(charter, Date.UTC(2026, 10, 23, 7, 0))).toBe('2026-11-23');
    // 23:30 UTC is 00:30 the next day in Berlin: before 08:00 there, whatever the UTC day says.
    expect(dailyReportDue(charter, Date.UTC(2026, 10, 23, 23, 30))).toBeNull();
    const early = charterOf({ ...berlin, report: { to: ['u-ada'], at: '00:15' } });
    expect(dailyReportDue(early, Date.UTC(2026, 10, 23, 23, 30))).toBe('2026-11-24');
  });

  it('is never due when the charter names nobody', () => {
    expect(dailyReportDue(charterOf(berlin), Date.UTC(2026, 10, 23, 12, 0))).toBeNull();
  });
});
