import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JqlError, matchesJql, parseJql, parseJqlDate } from './jql.ts';

describe('parseJql', () => {
  it('parses AND/OR with parentheses and ORDER BY', () => {
    const q = parseJql('project = SUP AND (status in ("To Do", Done) OR assignee is EMPTY) ORDER BY updated DESC, key');
    expect(q.orderBy).toEqual([
      { field: 'updated', direction: 'desc' },
      { field: 'key', direction: 'asc' },
    ]);
    expect(q.where?.kind).toBe('and');
  });

  it('rejects unknown functions and unterminated strings', () => {
    expect(() => parseJql('assignee = membersOf()')).toThrow(JqlError);
    expect(() => parseJql('summary ~ "open')).toThrow(JqlError);
  });
});

describe('parseJqlDate', () => {
  it('reads minute-precision literals as UTC for a user in UTC, and relative periods from now', () => {
    expect(parseJqlDate('2026-11-23 21:30', 0)).toBe(Date.UTC(2026, 10, 23, 21, 30));
    expect(parseJqlDate('2026/11/23', 0)).toBe(Date.UTC(2026, 10, 23));
    expect(parseJqlDate('-15m', 1_000_000)).toBe(1_000_000 - 900_000);
    expect(() => parseJqlDate('yesterday', 0)).toThrow(JqlError);
  });

  it('round-trips any minute as a literal (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (minutes) => {
        const ms = minutes * 60_000;
        const d = new Date(ms).toISOString();
        const literal = `${d.slice(0, 10)} ${d.slice(11, 16)}`;
        expect(parseJqlDate(literal, 0)).toBe(ms);
      }),
    );
  });

  it("reads a literal as wall time in the searching user's time zone, as Jira does", () => {
    // New York: UTC-5 in November, UTC-4 in July; Kolkata +5:30; Sydney +11 in November.
    expect(parseJqlDate('2026-11-30 07:00', 0, 'America/New_York')).toBe(Date.UTC(2026, 10, 30, 12, 0));
    expect(parseJqlDate('2026-07-01 07:00', 0, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 11, 0));
    expect(parseJqlDate('2026-11-30 07:00', 0, 'Asia/Kolkata')).toBe(Date.UTC(2026, 10, 30, 1, 30));
    expect(parseJqlDate('2026-11-30', 0, 'Australia/Sydney')).toBe(Date.UTC(2026, 10, 29, 13, 0));
    // Relative periods and epoch milliseconds do not depend on the zone.
    expect(parseJqlDate('-15m', 1_000_000, 'America/New_York')).toBe(100_000);
  });

  it('round-trips any minute through the wall time of a zone (property)', () => {
    const zones = ['America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'Europe/Berlin', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), fc.constantFrom(...zones), (minutes, zone) => {
        const ms = minutes * 60_000;
        const p = Object.fromEntries(
          new Intl.DateTimeFormat('en-CA', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
          })
            .formatToParts(ms)
            .map((x) => [x.type, x.value]),
        );
        const literal = `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}`;
        // In the hour a DST change repeats, a wall time names two instants; the sim takes the earlier, as java.time does by default.
        const back = parseJqlDate(literal, 0, zone);
        expect(back === ms || back === ms - 3_600_000).toBe(true);
      }),
    );
  });
});

describe('issue properties an app indexes', () => {
  const subject = (slaState: string | undefined) => ({
    id: '1',
    key: 'SUP-1',
    project: { id: '10000', key: 'SUP', name: 'Support' },
    status: { id: '1', name: 'Open', category: 'new' as const },
    assignee: null,
    reporter: null,
    priority: 'Medium',
    issuetype: 'Task',
    labels: [],
    summary: 's',
    created: 0,
    updated: 0,
    duedate: null,
    properties: new Map<string, unknown>(slaState === undefined ? [] : [['baton.state', { slaState }]]),
  });
  const indexed = [{ propertyKey: 'baton.state', path: 'slaState', type: 'string' as const, searchAlias: 'batonSla' }];
  const ctx = { now: 0, me: 'u', indexed };
  const hits = (jql: string, s: ReturnType<typeof subject>) => matchesJql(parseJql(jql).where, s, ctx);

  it('finds an issue by the alias or by issue.property[key].path, only where the module indexes it', () => {
    expect(hits('batonSla = breached', subject('breached'))).toBe(true);
    expect(hits('batonSla = breached', subject('on-track'))).toBe(false);
    expect(hits('batonSla in (breached, at-risk)', subject('at-risk'))).toBe(true);
    expect(hits('issue.property[baton.state].slaState = breached', subject('breached'))).toBe(true);
    expect(hits('batonSla is EMPTY', subject(undefined))).toBe(true);
    // A path no app indexes matches nothing; an alias no app declares is not a field.
    expect(hits('issue.property[baton.state].phase = active', subject('breached'))).toBe(false);
    expect(() => matchesJql(parseJql('batonSla = x').where, subject('x'), { now: 0, me: 'u' })).toThrow(JqlError);
  });
});
