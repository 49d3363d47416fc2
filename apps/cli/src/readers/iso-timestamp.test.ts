import { parseTimestamp } from '@baton/core/time';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestampBytes } from './iso-timestamp.ts';

const bytes = (text: string) => {
  const b = Buffer.from(`xx${text}yy`);
  return parseTimestampBytes(b, 2, b.length - 2);
};

describe('parseTimestampBytes', () => {
  it('agrees with core parseTimestamp on the shapes logs use, valid or not', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const shape = fc
      .tuple(
        fc.integer({ min: 0, max: 2400 }).map((n) => String(n).padStart(4, '0')),
        two(13),
        two(32),
        fc.constantFrom('T', ' ', ''),
        two(25),
        two(61),
        fc.option(two(61), { nil: undefined }),
        fc.option(fc.stringMatching(/^[.,]\d{1,10}$/), { nil: undefined }),
        fc.constantFrom(
          '',
          'Z',
          '+02:00',
          '-0500',
          '+14:00',
          '+14:01',
          '-14:00',
          '-1401',
          '+15',
          '+99:99',
          '-12',
          '+05:60',
          ' +01:00',
          'z',
        ),
      )
      .map(([y, mo, d, sep, h, mi, s, frac, zone]) =>
        sep === ''
          ? `${y}-${mo}-${d}${zone}`
          : `${y}-${mo}-${d}${sep}${h}:${mi}${s === undefined ? '' : `:${s}${frac ?? ''}`}${zone}`,
      );
    fc.assert(
      fc.property(shape, (text) => {
        expect(bytes(text), text).toEqual(parseTimestamp(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with core parseTimestamp on dates met before (valid or not), whatever the time and offset', () => {
    // A few dates, met again and again with times and offsets that may not exist (2022-10-05 takes
    // 2011-10-01's place among the dates kept).
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const date = fc.constantFrom(
      '2011-10-01',
      '2022-10-05',
      '2011-10-02',
      '2012-02-29',
      '2011-02-29',
      '1970-01-01',
      '2024-12-31',
      '2006-13-01',
    );
    const text = fc
      .tuple(date, fc.constantFrom('T', ' '), two(25), two(61), two(61), fc.constantFrom('', '.5', '.05', '.123456'))
      .chain(([d, sep, h, mi, s, frac]) =>
        fc
          .constantFrom('', 'Z', '+02:00', '-14:00', '+14:01', '+05:60')
          .map((zone) => `${d}${sep}${h}:${mi}:${s}${frac}${zone}`),
      );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 40 }), (texts) => {
        for (const t of texts) expect(bytes(t), t).toEqual(parseTimestamp(t));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the XES and pm4py forms without the general parser', () => {
    expect(bytes('2010-03-31T16:59:42+02:00')).toEqual({ at: Date.UTC(2010, 2, 31, 14, 59, 42), offsetMinutes: 120 });
    expect(bytes('2011-12-06 13:41:31.788000+01:00')).toEqual({
      at: Date.UTC(2011, 11, 6, 12, 41, 31, 788),
      offsetMinutes: 60,
    });
    expect(bytes('2018-09-23T21:02:00.000Z')).toEqual({ at: Date.UTC(2018, 8, 23, 21, 2), offsetMinutes: 0 });
    expect(bytes('yesterday')).toBeUndefined();
  });
});
