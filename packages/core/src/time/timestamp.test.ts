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

  it('refuses parts that cannot exist: offsets beyond ±14:00, 24:59, a :60 second', () => {
    for (const bad of [
      '2015-11-21T07:03:02+99:99',
      '2015-11-21T07:03:02+15:00',
      '2015-11-21T07:03:02-14:30',
      '2015-11-21T07:03:02+05:60',
      '2015-11-21T24:59:00Z',
      '2015-11-21T24:00:01Z',
      '2015-11-21T23:59:60Z',
      '2015-02-29',
      '2016-04-31',
    ]) {
      expect(parseTimestamp(bad), bad).toBeUndefined();
    }
    expect(parseTimestamp('2015-11-21T07:03:02+14:00')?.offsetMinutes).toBe(840);
    expect(parseTimestamp('2015-11-21T07:03:02-12:00')?.offsetMinutes).toBe(-720);
    expect(parseTimestamp('2015-11-21T24:00:00Z')?.at).toBe(Date.UTC(2015, 10, 22));
    expect(parseTimestamp('2016-02-29')?.at).toBe(Date.UTC(2016, 1, 29));
  });

  it('reads years 0000–0099 as those years, not as 1900–1999', () => {
    const y50 = new Date(0);
    y50.setUTCFullYear(50, 0, 1);
    expect(parseTimestamp('0050-01-01T00:00:00Z')?.at).toBe(y50.getTime());
    expect(formatTimestamp(parseTimestamp('0099-12-31T23:00:00Z')!.at)).toBe('0099-12-31T23:00:00.000Z');
  });

  it('agrees with Date.UTC on every day from 1600 to 2400', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1600, 0, 1), max: Date.UTC(2400, 0, 1) }), (at) => {
        const d = new Date(at);
        const text = formatTimestamp(at);
        expect(parseTimestamp(text)?.at, text).toBe(d.getTime());
      }),
    );
  });

  it('formats exactly as Date does, for any moment and offset', () => {
    const viaDate = (at: number, offset: number) => {
      const d = new Date(at + offset * 60_000);
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      const abs = Math.abs(offset);
      const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
      return `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}${zone}`;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9000, 0, 1) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (at, offset) => {
          expect(formatTimestamp(at, offset)).toBe(viaDate(at, offset));
        },
      ),
      { numRuns: 2000 },
    );
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
