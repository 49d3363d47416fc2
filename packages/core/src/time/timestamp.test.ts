import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from './timestamp.ts';

describe('parseTimestamp', () => {
  it('reads Jira times and keeps their offset', () => {
    const t = parseTimestamp('2015-11-21T07:03:02.000-0500');
    expect(t).toEqual({ at: Date.UTC(2015, 10, 21, 12, 3, 2), offsetMinutes: -300 });
    expect(formatTimestamp(t!.at, t!.offsetMinutes)).toBe('2015-11-21T07:03:02.000-05:00');
  });

  it('reads XES, pm4py CSV and UTC forms', () => {
    expect(parseTimestamp('2010-03-31T16:59:42+02:00')).toEqual({
      at: Date.UTC(2010, 2, 31, 14, 59, 42),
      offsetMinutes: 120,
    });
    expect(parseTimestamp('2011-12-06 13:41:31.788000+01:00')).toEqual({
      at: Date.UTC(2011, 11, 6, 12, 41, 31, 788),
      offsetMinutes: 60,
    });
    expect(parseTimestamp('2018-09-23T21:02:00.000Z')).toEqual({ at: Date.UTC(2018, 8, 23, 21, 2), offsetMinutes: 0 });
    expect(parseTimestamp('2011-10-11')).toEqual({ at: Date.UTC(2011, 9, 11), offsetMinutes: 0 });
  });

  it('rejects what is not a time', () => {
    for (const bad of ['', 'yesterday', '2015-13-01T00:00:00Z', '2015-02-31', '2015-11-21T07:03:02.000-05:00x']) {
      expect(parseTimestamp(bad)).toBeUndefined();
    }
  });

  it('round-trips any moment in any offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -14 * 4, max: 14 * 4 }).map((q) => q * 15),
        (at, offset) => {
          expect(parseTimestamp(formatTimestamp(at, offset))).toEqual({ at, offsetMinutes: offset });
        },
      ),
    );
  });
});
