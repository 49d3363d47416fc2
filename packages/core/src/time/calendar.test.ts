import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { formatIssue } from '../result.ts';
import {
  addBusinessTime,
  businessClock,
  businessTimeBetween,
  type Calendar,
  DEFAULT_CALENDAR,
  defineCalendar,
  isBusinessTime,
  nextBusinessTime,
  startOfLocalDay,
} from './calendar.ts';

const HOUR = 3_600_000;
const iso = (text: string) => Date.parse(text);

function calendar(input: unknown): Calendar {
  const r = defineCalendar(input);
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('; '));
  return r.value;
}

// Amsterdam: split hours (lunch break), Dutch holidays, DST on the last Sundays of March and October.
const amsterdam = calendar({
  timeZone: 'Europe/Amsterdam',
  week: {
    mon: [
      ['08:30', '12:00'],
      ['13:00', '17:30'],
    ],
    tue: [
      ['08:30', '12:00'],
      ['13:00', '17:30'],
    ],
    wed: [['08:30', '12:00']],
    thu: [
      ['08:30', '12:00'],
      ['13:00', '17:30'],
    ],
    fri: [
      ['08:30', '12:00'],
      ['13:00', '17:30'],
    ],
  },
  holidays: ['2026-04-27', '2026-12-25', '2026-12-26'],
});
// New York: a support desk open on Sundays across the 02:00 DST switch, and until midnight.
const newYork = calendar({
  timeZone: 'America/New_York',
  week: { sun: [['00:00', '06:00']], mon: [['09:00', '24:00']], sat: [['10:00', '14:00']] },
  holidays: [],
});
// Kolkata's +05:30 offset checks that non-whole-hour zones resolve.
const kolkata = calendar({ timeZone: 'Asia/Kolkata', week: { mon: [['10:00', '18:00']], tue: [['10:00', '18:00']] } });

// A fixed offset other than UTC's (Etc/GMT-3 is UTC+3): days found by arithmetic, not by lookup.
const plusThree = calendar({
  timeZone: 'Etc/GMT-3',
  week: { mon: [['09:00', '17:00']], wed: [['00:00', '24:00']], fri: [['09:00', '12:00']] },
  holidays: ['2026-05-01'],
});

const calendars = [
  ['default (UTC)', DEFAULT_CALENDAR],
  ['Etc/GMT-3 (fixed offset)', plusThree],
  ['Europe/Amsterdam', amsterdam],
  ['America/New_York', newYork],
  ['Asia/Kolkata', kolkata],
] as const;

// 2020-01-01 .. 2030-01-01, and durations up to ~60 business days.
const instant = fc.integer({ min: iso('2020-01-01T00:00:00Z'), max: iso('2030-01-01T00:00:00Z') });
const duration = fc.integer({ min: 0, max: 500 * HOUR });
const positive = fc.integer({ min: 1, max: 500 * HOUR });

describe('defineCalendar', () => {
  it('accepts a valid calendar and keeps its definition', () => {
    expect(amsterdam.timeZone).toBe('Europe/Amsterdam');
    expect(amsterdam.holidays).toContain('2026-12-25');
  });

  it('names the field of each problem', () => {
    const r = defineCalendar({
      timeZone: 'Mars/Olympus_Mons',
      week: {
        mon: [['09:00', '25:00']],
        tue: [['17:00', '09:00']],
        wed: [
          ['09:00', '12:00'],
          ['11:00', '13:00'],
        ],
        xyz: [],
      },
      holidays: ['2026-02-30', 'christmas'],
    });
    expect(r.ok).toBe(false);
    const messages = r.ok ? [] : r.issues.map(formatIssue);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone: expected an IANA time zone/),
        expect.stringMatching(/^week\.mon\[0\]\[1\]: expected a time of day/),
        expect.stringMatching(/^week\.tue\[0\]: expected the end after the start/),
        expect.stringMatching(/^week\.wed: expected hours that do not overlap/),
        expect.stringMatching(/^holidays\[0\]: expected a date that exists/),
        expect.stringMatching(/^holidays\[1\]: expected a date YYYY-MM-DD/),
      ]),
    );
    expect(messages.some((m) => m.includes('xyz'))).toBe(true);
  });

  it('rejects a week without working hours (the clock would never run)', () => {
    const r = defineCalendar({ timeZone: 'UTC', week: { mon: [] } });
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual(['week: expected at least one weekday with working hours']);
  });

  it('refuses calendars it did not make', () => {
    expect(() => isBusinessTime({ timeZone: 'UTC', week: {}, holidays: [] } as unknown as Calendar, 0)).toThrow(
      TypeError,
    );
  });
});

describe('business time, hand-checked', () => {
  it('default calendar: Friday 16:00 + 2h is Monday 10:00', () => {
    expect(addBusinessTime(DEFAULT_CALENDAR, iso('2026-11-20T16:00:00Z'), 2 * HOUR)).toBe(iso('2026-11-23T10:00:00Z'));
    expect(businessTimeBetween(DEFAULT_CALENDAR, iso('2026-11-20T16:00:00Z'), iso('2026-11-23T10:00:00Z'))).toBe(
      2 * HOUR,
    );
  });

  it('a full working day ends at 17:00, not at 09:00 the next day', () => {
    expect(addBusinessTime(DEFAULT_CALENDAR, iso('2026-11-23T09:00:00Z'), 8 * HOUR)).toBe(iso('2026-11-23T17:00:00Z'));
    expect(isBusinessTime(DEFAULT_CALENDAR, iso('2026-11-23T17:00:00Z'))).toBe(false);
    expect(isBusinessTime(DEFAULT_CALENDAR, iso('2026-11-23T16:59:59.999Z'))).toBe(true);
  });

  it('nextBusinessTime moves a Saturday to Monday 09:00 and keeps business instants', () => {
    expect(nextBusinessTime(DEFAULT_CALENDAR, iso('2026-11-21T12:00:00Z'))).toBe(iso('2026-11-23T09:00:00Z'));
    expect(nextBusinessTime(DEFAULT_CALENDAR, iso('2026-11-23T12:34:00Z'))).toBe(iso('2026-11-23T12:34:00Z'));
  });

  it('skips lunch breaks, holidays and weekends in local time', () => {
    // Thu 24 Dec 2026 11:00 CET + 2h: 1h until 12:00, 1h from 13:00 → 14:00 CET = 13:00Z.
    expect(addBusinessTime(amsterdam, iso('2026-12-24T10:00:00Z'), 2 * HOUR)).toBe(iso('2026-12-24T13:00:00Z'));
    // Thu 24 Dec 17:30 CET (closing) + 1h: Fri 25 and Sat 26 are holidays/weekend, Mon 28 08:30 + 1h = 09:30 CET.
    expect(addBusinessTime(amsterdam, iso('2026-12-24T16:30:00Z'), HOUR)).toBe(iso('2026-12-28T08:30:00Z'));
    // From 17:00 CET, half an hour is left on Thursday: Monday 09:00 CET.
    expect(addBusinessTime(amsterdam, iso('2026-12-24T16:00:00Z'), HOUR)).toBe(iso('2026-12-28T08:00:00Z'));
    expect(isBusinessTime(amsterdam, iso('2026-12-25T10:00:00Z'))).toBe(false);
  });

  it('a local working day is 8 real hours on either side of a DST change', () => {
    // Amsterdam: Monday 30 March 2026 (after the switch to CEST) opens at 08:30 CEST = 06:30Z.
    expect(nextBusinessTime(amsterdam, iso('2026-03-28T12:00:00Z'))).toBe(iso('2026-03-30T06:30:00Z'));
    // A week before, in CET, it opens at 07:30Z.
    expect(nextBusinessTime(amsterdam, iso('2026-03-21T12:00:00Z'))).toBe(iso('2026-03-23T07:30:00Z'));
  });

  it('a window across the spring-forward gap is an hour shorter in real time', () => {
    // New York, Sunday 8 March 2026: 00:00–06:00 local contains the 02:00→03:00 jump: 5 real hours.
    const sunday = iso('2026-03-08T05:00:00Z'); // 00:00 EST
    expect(businessTimeBetween(newYork, sunday, sunday + 24 * HOUR)).toBe(5 * HOUR);
    // Sunday 1 November 2026 (fall back): 7 real hours.
    const fallSunday = iso('2026-11-01T04:00:00Z'); // 00:00 EDT
    expect(businessTimeBetween(newYork, fallSunday, fallSunday + 25 * HOUR)).toBe(7 * HOUR);
  });

  it('a window ending at 24:00 runs to local midnight', () => {
    // Monday 23 Nov 2026 09:00 EST = 14:00Z to Tuesday 00:00 EST = 05:00Z: 15 hours.
    expect(businessTimeBetween(newYork, iso('2026-11-23T00:00:00Z'), iso('2026-11-25T00:00:00Z'))).toBe(15 * HOUR);
    expect(isBusinessTime(newYork, iso('2026-11-24T04:59:59Z'))).toBe(true);
  });

  it('handles half-hour offsets', () => {
    // Monday 10:00 IST = 04:30Z.
    expect(nextBusinessTime(kolkata, iso('2026-11-22T00:00:00Z'))).toBe(iso('2026-11-23T04:30:00Z'));
  });

  it('between is antisymmetric and zero for equal instants', () => {
    const a = iso('2026-11-20T10:00:00Z');
    const b = iso('2026-11-24T10:00:00Z');
    expect(businessTimeBetween(DEFAULT_CALENDAR, b, a)).toBe(-businessTimeBetween(DEFAULT_CALENDAR, a, b));
    expect(businessTimeBetween(DEFAULT_CALENDAR, a, a)).toBe(0);
  });

  it('rejects negative durations as a programmer error', () => {
    expect(() => addBusinessTime(DEFAULT_CALENDAR, 0, -1)).toThrow(RangeError);
  });
});

describe.each(calendars)('business time properties: %s', (_name, cal) => {
  it('adding is associative: add(add(t, a), b) = add(t, a + b)', () => {
    fc.assert(
      fc.property(instant, duration, duration, (t, a, b) => {
        expect(addBusinessTime(cal, addBusinessTime(cal, t, a), b)).toBe(addBusinessTime(cal, t, a + b));
      }),
    );
  });

  it('a positive duration lands where the clock was running (the ms before it is business time)', () => {
    fc.assert(
      fc.property(instant, positive, (t, d) => {
        const end = addBusinessTime(cal, t, d);
        expect(end).toBeGreaterThanOrEqual(t + d);
        expect(isBusinessTime(cal, end - 1)).toBe(true);
      }),
    );
  });

  it('between(t, add(t, d)) = d', () => {
    fc.assert(
      fc.property(instant, duration, (t, d) => {
        expect(businessTimeBetween(cal, t, addBusinessTime(cal, t, d))).toBe(d);
      }),
    );
  });

  it('is monotonic in the duration and in the start', () => {
    fc.assert(
      fc.property(instant, duration, duration, (t, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addBusinessTime(cal, t, lo)).toBeLessThanOrEqual(addBusinessTime(cal, t, hi));
        expect(addBusinessTime(cal, t, a)).toBeLessThanOrEqual(addBusinessTime(cal, t + b, a));
        expect(businessTimeBetween(cal, t, t + lo)).toBeLessThanOrEqual(businessTimeBetween(cal, t, t + hi));
      }),
    );
  });

  it('between is additive over a split point and never exceeds wall time', () => {
    fc.assert(
      fc.property(instant, duration, duration, (t, a, b) => {
        const whole = businessTimeBetween(cal, t, t + a + b);
        expect(whole).toBe(businessTimeBetween(cal, t, t + a) + businessTimeBetween(cal, t + a, t + a + b));
        expect(whole).toBeLessThanOrEqual(a + b);
      }),
    );
  });

  it('over years (the running totals per block of days): between(t, add(t, d)) = d and additivity hold', () => {
    const years = fc.integer({ min: 0, max: 8 * 365 * 24 * HOUR });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 2_500 * 8 * HOUR }), (t, d) => {
        expect(businessTimeBetween(cal, t, addBusinessTime(cal, t, d))).toBe(d);
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(instant, years, years, (t, a, b) => {
        expect(businessTimeBetween(cal, t, t + a + b)).toBe(
          businessTimeBetween(cal, t, t + a) + businessTimeBetween(cal, t + a, t + a + b),
        );
      }),
      { numRuns: 50 },
    );
  });

  it('the business clock: its differences are businessTimeBetween, exactly, either side of its anchor', () => {
    // A calendar of its own, so that the clock's anchor is the first instant asked for here.
    const fresh = calendar({ timeZone: cal.timeZone, week: cal.week, holidays: cal.holidays });
    const anchor = iso('2025-01-01T12:34:56Z');
    expect(businessClock(fresh, anchor)).toBeGreaterThanOrEqual(0);
    const span = fc.integer({ min: -5 * 365 * 24 * HOUR, max: 5 * 365 * 24 * HOUR });
    fc.assert(
      fc.property(span, span, (a, b) => {
        // In time order: between gives −0 for a zero span backwards, the difference +0.
        const x = anchor + Math.min(a, b);
        const y = anchor + Math.max(a, b);
        expect(businessClock(fresh, y) - businessClock(fresh, x)).toBe(businessTimeBetween(fresh, x, y));
      }),
      { numRuns: 200 },
    );
    expect(businessClock(fresh, anchor + 0.5)).toBeNaN();
    expect(businessClock(fresh, Number.POSITIVE_INFINITY)).toBeNaN();
  });

  it('the business clock remembers readings: instants asked again, and others in their slots, read the same', () => {
    // Readings are remembered by a hash of the ms in 4,096 slots: a few thousand instants, many of
    // them repeated (midnights, as logs of dates give), collide in slots and come back. Each must
    // read as the clock's difference from a reference instant says, whatever was asked before it.
    const fresh = calendar({ timeZone: cal.timeZone, week: cal.week, holidays: cal.holidays });
    const anchor = iso('2024-06-01T00:00:00Z');
    const at0 = businessClock(fresh, anchor);
    const reading = (t: number) =>
      t >= anchor ? at0 + businessTimeBetween(fresh, anchor, t) : at0 - businessTimeBetween(fresh, t, anchor);
    const midnight = fc.integer({ min: 0, max: 3 * 365 }).map((d) => anchor + d * 24 * HOUR);
    const any = fc.integer({ min: -365 * 24 * HOUR, max: 3 * 365 * 24 * HOUR }).map((d) => anchor + d);
    fc.assert(
      fc.property(fc.array(fc.oneof(midnight, any), { minLength: 1000, maxLength: 6000 }), (instants) => {
        for (const t of [...instants, ...instants.reverse()]) expect(businessClock(fresh, t)).toBe(reading(t));
      }),
      { numRuns: 15, interruptAfterTimeLimit: 10_000 },
    );
  });

  it('nextBusinessTime is business time, not earlier, with no business time skipped', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const next = nextBusinessTime(cal, t);
        expect(next).toBeGreaterThanOrEqual(t);
        expect(isBusinessTime(cal, next)).toBe(true);
        expect(businessTimeBetween(cal, t, next)).toBe(0);
      }),
    );
  });
});

describe('a fixed-offset calendar', () => {
  // Local wall time is UTC + 3 h: whether an instant is business time, read off its local clock.
  const open = (ms: number): boolean => {
    const local = new Date(Math.floor(ms) + 3 * HOUR);
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    if (local.toISOString().startsWith('2026-05-01')) return false;
    const day = local.getUTCDay();
    if (day === 1) return minute >= 540 && minute < 1020;
    if (day === 3) return true;
    if (day === 5) return minute >= 540 && minute < 720;
    return false;
  };

  it('places instants on either side of a local midnight, fractional ones included, in their day', () => {
    const midnights = fc
      .integer({ min: 0, max: 3_000 })
      .map((k) => iso('2020-01-01T00:00:00Z') + k * 24 * HOUR - 3 * HOUR);
    const nudge = fc.constantFrom(-1, -0.5, -(2 ** -12), 0, 2 ** -12, 0.5, 1);
    fc.assert(
      fc.property(midnights, nudge, (midnight, d) => {
        expect(isBusinessTime(plusThree, midnight + d)).toBe(open(midnight + d));
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the local clock at any instant', () => {
    fc.assert(
      fc.property(instant, (t) => {
        expect(isBusinessTime(plusThree, t)).toBe(open(t));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a calendar open around the clock', () => {
  const allDay: [string, string][] = [['00:00', '24:00']];
  const week = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };

  it('its business clock reads wall time: differences are businessTimeBetween, across daylight saving', () => {
    // Berlin: the clock's days are 23 and 25 hours long twice a year; the clock is the instant itself.
    for (const timeZone of ['UTC', 'Europe/Berlin']) {
      const cal = calendar({ timeZone, week });
      fc.assert(
        fc.property(instant, instant, (a, b) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          expect(businessClock(cal, y) - businessClock(cal, x)).toBe(businessTimeBetween(cal, x, y));
          expect(businessTimeBetween(cal, x, y)).toBe(y - x);
        }),
        { numRuns: 300 },
      );
      expect(businessClock(cal, 0.5)).toBeNaN();
      expect(Object.is(businessClock(cal, -0), 0)).toBe(true);
    }
  });

  it('with a holiday, reads the clock through the days again', () => {
    const cal = calendar({ timeZone: 'UTC', week, holidays: ['2024-02-14'] });
    const from = iso('2024-02-13T12:00:00Z');
    const to = iso('2024-02-15T12:00:00Z');
    expect(businessClock(cal, to) - businessClock(cal, from)).toBe(24 * HOUR);
    expect(businessTimeBetween(cal, from, to)).toBe(24 * HOUR);
  });
});

describe('the UTC calendar', () => {
  const week = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']] };
  const utc = () => calendar({ timeZone: 'UTC', week, holidays: ['2024-02-14'] });

  it('is defined and used without starting the host time-zone database', () => {
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      const cal = utc();
      businessTimeBetween(cal, iso('2024-02-05T08:00:00Z'), iso('2024-02-21T18:00:00Z'));
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('agrees with the same calendar read through the database (Etc/UTC)', () => {
    const viaIntl = calendar({ timeZone: 'Etc/UTC', week, holidays: ['2024-02-14'] });
    const cal = utc();
    fc.assert(
      fc.property(instant, instant, (a, b) => {
        expect(businessTimeBetween(cal, a, b)).toBe(businessTimeBetween(viaIntl, a, b));
        expect(isBusinessTime(cal, a)).toBe(isBusinessTime(viaIntl, a));
        expect(startOfLocalDay(cal, new Date(a).toISOString().slice(0, 10))).toBe(
          startOfLocalDay(viaIntl, new Date(a).toISOString().slice(0, 10)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('startOfLocalDay', () => {
  const zone = (timeZone: string) => {
    const c = defineCalendar({ timeZone, week: { mon: [['09:00', '17:00']] } });
    if (!c.ok) throw new Error(c.issues[0]!.message);
    return c.value;
  };

  it("is the date's midnight in the calendar's zone, not UTC's, on both sides of a zone boundary", () => {
    // 00:00 in Berlin (UTC+1 in winter) is 23:00 UTC the day before; 00:00 in Auckland (UTC+13) is 11:00 UTC.
    expect(new Date(startOfLocalDay(zone('Europe/Berlin'), '2026-03-01')!).toISOString()).toBe(
      '2026-02-28T23:00:00.000Z',
    );
    expect(new Date(startOfLocalDay(zone('Europe/Berlin'), '2026-07-01')!).toISOString()).toBe(
      '2026-06-30T22:00:00.000Z',
    );
    expect(new Date(startOfLocalDay(zone('Pacific/Auckland'), '2026-01-15')!).toISOString()).toBe(
      '2026-01-14T11:00:00.000Z',
    );
    expect(new Date(startOfLocalDay(zone('America/New_York'), '2026-01-15')!).toISOString()).toBe(
      '2026-01-15T05:00:00.000Z',
    );
    expect(startOfLocalDay(zone('UTC'), '2026-01-15')).toBe(Date.parse('2026-01-15T00:00:00Z'));
  });

  it('begins when the clock resumes where daylight saving skips midnight', () => {
    // São Paulo moved its clocks from 00:00 to 01:00 on 2018-11-04: that day began at 01:00 local (03:00 UTC).
    expect(new Date(startOfLocalDay(zone('America/Sao_Paulo'), '2018-11-04')!).toISOString()).toBe(
      '2018-11-04T03:00:00.000Z',
    );
  });

  it('refuses text that is not a calendar date', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '1 March', '2026-03-01T00:00:00Z'])
      expect(startOfLocalDay(zone('UTC'), bad)).toBeUndefined();
  });
});
