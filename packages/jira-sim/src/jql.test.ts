import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JqlError, parseJql, parseJqlDate } from './jql.ts';

describe('parseJql', () => {
  it('parses AND/OR with parentheses and ORDER BY', () => {
    const q = parseJql('project = SUP AND (status in ("To Do", Done) OR assignee is EMPTY) ORDER BY updated DESC, key');
    expect(q.orderBy).toEqual([{ field: 'updated', direction: 'desc' }, { field: 'key', direction: 'asc' }]);
    expect(q.where?.kind).toBe('and');
  });

  it('rejects unknown functions and unterminated strings', () => {
    expect(() => parseJql('assignee = membersOf()')).toThrow(JqlError);
    expect(() => parseJql('summary ~ "open')).toThrow(JqlError);
  });
});

describe('parseJqlDate', () => {
  it('reads minute-precision literals as UTC and relative periods from now', () => {
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
});
