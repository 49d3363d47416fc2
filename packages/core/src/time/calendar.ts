import * as z from 'zod';
import { strictObject } from '../strict-object.ts';
import { fail, fromZodIssues, ok, type Result } from '../result.ts';

/**
 * Business calendars: when the clock runs. A calendar is a time zone, the working hours of each
 * weekday (local wall time) and a list of holidays (local dates). Every SLA clock, every "business
 * days" figure and the analysis's business cycle time go through these four functions:
 * `isBusinessTime`, `nextBusinessTime`, `addBusinessTime`, `businessTimeBetween`.
 *
 * Speed: each local day is resolved once into its business windows as UTC epoch-ms intervals and
 * cached, so the functions only do comparisons and additions after the first touch of a day.
 * Time-zone offsets come from `Intl.DateTimeFormat` (the host's tz database), which makes daylight
 * saving transitions correct: a 09:00–17:00 day is 8 real hours except when a transition falls inside it.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const ClockSchema = z.string().regex(CLOCK, { message: "expected a time of day 'HH:MM' (00:00–24:00)" });
const HoursSchema = z.tuple([ClockSchema, ClockSchema]).refine(([from, to]) => minutesOf(from) < minutesOf(to), {
  message: 'expected the end after the start; split a shift that crosses midnight over two days',
});
const DayHoursSchema = z.array(HoursSchema).superRefine((hours, ctx) => {
  const sorted = hours.map(([a, b]) => [minutesOf(a), minutesOf(b)] as const).sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] < sorted[i - 1]![1])
      ctx.addIssue({ code: 'custom', message: 'expected hours that do not overlap' });
  }
});

/** The shape a calendar is written in (JSON or YAML config, the admin page). */
export const CalendarSchema = strictObject({
  /** IANA time zone name, e.g. `Europe/Amsterdam`. */
  timeZone: z.string().refine(isTimeZone, { message: "expected an IANA time zone name like 'Europe/Berlin' or 'UTC'" }),
  /** Working hours per weekday in local time; a missing or empty day is closed. */
  week: strictObject({
    mon: DayHoursSchema.optional(),
    tue: DayHoursSchema.optional(),
    wed: DayHoursSchema.optional(),
    thu: DayHoursSchema.optional(),
    fri: DayHoursSchema.optional(),
    sat: DayHoursSchema.optional(),
    sun: DayHoursSchema.optional(),
  }),
  /** Local dates (YYYY-MM-DD) on which nobody works. */
  holidays: z
    .array(
      z
        .string()
        .regex(DATE, { message: 'expected a date YYYY-MM-DD' })
        .refine(isRealDate, { message: 'expected a date that exists' }),
    )
    .default([]),
}).refine((c) => Object.values(c.week).some((h) => h !== undefined && h.length > 0), {
  message: 'expected at least one weekday with working hours',
  path: ['week'],
});
export type CalendarInput = z.input<typeof CalendarSchema>;
export type CalendarDefinition = z.output<typeof CalendarSchema>;

/** A validated calendar, ready for the time functions. Create one with `defineCalendar`. */
export interface Calendar extends CalendarDefinition {
  readonly [ENGINE]: Engine;
}

const ENGINE: unique symbol = Symbol('calendar engine');
const DAY = 86_400_000;
const MINUTE = 60_000;

function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** Answers per name, kept: building an `Intl.DateTimeFormat` to ask costs more than the rest of a calendar's checks. */
const timeZoneKnown = new Map<string, boolean>();

function isTimeZone(name: string): boolean {
  // The default zone: no need to start the host's tz database (about 20 ms the first time) to know it.
  if (name === 'UTC') return true;
  let known = timeZoneKnown.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    timeZoneKnown.set(name, known);
  }
  return known;
}

function isRealDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/**
 * Validates a calendar; issues carry the path of the bad field (`week.mon[0][1]`, `holidays[3]`).
 * @example defineCalendar({ timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']] }, holidays: ['2026-12-25'] })
 */
export function defineCalendar(input: unknown): Result<Calendar> {
  const parsed = CalendarSchema.safeParse(input);
  if (!parsed.success) return fail(...fromZodIssues(parsed.error.issues));
  const def = parsed.data;
  const calendar = { ...def, [ENGINE]: createEngine(def) };
  return ok(Object.freeze(calendar));
}

/** Monday to Friday, 09:00–17:00 UTC, no holidays: what the analysis uses when not told otherwise. */
export const DEFAULT_CALENDAR: Calendar = (() => {
  const nineToFive: [string, string][] = [['09:00', '17:00']];
  const r = defineCalendar({
    timeZone: 'UTC',
    week: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
    holidays: [],
  });
  if (!r.ok) throw new Error('DEFAULT_CALENDAR is invalid');
  return r.value;
})();

/**
 * The length of the calendar's average working day in ms (8 h for Mon–Fri 09:00–17:00): the unit
 * in which business durations are shown as "business days".
 */
export function workingDayMs(cal: CalendarDefinition): number {
  let total = 0;
  let days = 0;
  for (const hours of Object.values(cal.week)) {
    if (hours === undefined || hours.length === 0) continue;
    days++;
    for (const [from, to] of hours) total += minutesOf(to) - minutesOf(from);
  }
  return (total / days) * MINUTE;
}

/** One local day resolved to UTC: [start, end) of the day and its business windows, flattened. */
interface Day {
  readonly start: number;
  readonly end: number;
  /** [s0, e0, s1, e1, ...], ascending UTC epoch ms, half-open intervals. */
  readonly windows: readonly number[];
  /** Business ms in the day. */
  readonly total: number;
}

interface Engine {
  /** The local day index (days since 1970-01-01 in local time) that contains `ms`. */
  dayIndexOf(ms: number): number;
  day(index: number): Day;
  /** Business ms of the whole days `from` ≤ i < `to`. */
  totalBetween(from: number, to: number): number;
  /** Business ms of the whole days from an anchor day to day `index` (negative before it); NaN too far. */
  before(index: number): number;
  /** `businessClock` of the calendar, its readings remembered by ms (one function per calendar). */
  readonly clock: (ms: number) => number;
}

// Days per block of the running totals: a span of years costs a few block lookups, not a walk over every day.
const BLOCK = 256;

function createEngine(def: CalendarDefinition): Engine {
  const hours: (readonly (readonly [number, number])[])[] = WEEKDAYS.map((name) =>
    (def.week[name] ?? []).map(([a, b]) => [minutesOf(a), minutesOf(b)] as const).sort((x, y) => x[0] - y[0]),
  );
  const holidays = new Set(
    def.holidays.map((h) => {
      const [y, m, d] = h.split('-').map(Number) as [number, number, number];
      return Date.UTC(y, m - 1, d) / DAY;
    }),
  );
  const offsetAt = offsetFunction(def.timeZone);
  const fixed = fixedOffsetOf(offsetAt);

  // A UTC instant for a local wall time. Around a transition there are two candidate offsets (the
  // ones 18 h either side); a wall time that exists twice (autumn) takes the first, one that does
  // not exist (spring gap) is read with the offset before the gap, i.e. moved forward by the gap.
  const localToUtc = (local: number): number => {
    const before = offsetAt(local - 18 * 3_600_000);
    const after = offsetAt(local + 18 * 3_600_000);
    if (before === after) return local - before;
    const a = local - before;
    const b = local - after;
    const aValid = offsetAt(a) === before;
    const bValid = offsetAt(b) === after;
    if (aValid && bValid) return Math.min(a, b);
    if (bValid) return b;
    return a;
  };

  // Days near the first one asked for (an analysis's years) sit in an array, the rest in a map:
  // this lookup runs for every state visit.
  const cache = new Map<number, Day>();
  const NEAR = 1 << 15;
  const near: (Day | undefined)[] = new Array<Day | undefined>(NEAR).fill(undefined);
  let base = Number.NaN;
  const day = (index: number): Day => {
    const k = index - base;
    let d = k >= 0 && k < NEAR ? near[k] : cache.get(index);
    if (d !== undefined) return d;
    d = makeDay(index);
    if (Number.isNaN(base)) base = index - (NEAR >> 1);
    const j = index - base;
    if (j >= 0 && j < NEAR) near[j] = d;
    else cache.set(index, d);
    return d;
  };
  const makeDay = (index: number): Day => {
    const localMidnight = index * DAY;
    const start = localToUtc(localMidnight);
    const end = localToUtc(localMidnight + DAY);
    const windows: number[] = [];
    let total = 0;
    if (!holidays.has(index)) {
      const weekday = (((index + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      for (const [from, to] of hours[weekday]!) {
        const s = Math.max(start, localToUtc(localMidnight + from * MINUTE));
        const e = Math.min(end, to === 1440 ? end : localToUtc(localMidnight + to * MINUTE));
        // A window swallowed by a DST gap can collapse; keep only real, ordered intervals.
        const prevEnd = windows.length > 0 ? windows[windows.length - 1]! : -Infinity;
        const s2 = Math.max(s, prevEnd);
        if (e > s2) {
          windows.push(s2, e);
          total += e - s2;
        }
      }
    }
    return { start, end, windows, total };
  };

  // The offset seen last is an excellent guess for the next lookup: analyses walk time forward.
  let guess = offsetAt(0);
  const dayIndexOf = (ms: number): number => {
    if (fixed !== undefined) {
      // A fixed offset: local day i runs from i·DAY − offset to (i+1)·DAY − offset (whole ms). An
      // instant below an edge k·DAY stays below k when divided (it is at least an ulp of itself away,
      // more than half an ulp of k); the steps guard sums that round, past 2^52 ms.
      let i = Math.floor((ms + fixed) / DAY);
      if (ms < i * DAY - fixed) i--;
      else if (ms >= (i + 1) * DAY - fixed) i++;
      return i;
    }
    let index = Math.floor((ms + guess) / DAY);
    let d = day(index);
    while (ms < d.start) d = day(--index);
    while (ms >= d.end) d = day(++index);
    guess = index * DAY - d.start;
    return index;
  };

  // Per block of BLOCK days: running totals within the block (prefix[k] = business ms of its first k days).
  const blocks = new Map<number, Float64Array>();
  const prefixOf = (block: number): Float64Array => {
    let p = blocks.get(block);
    if (p !== undefined) return p;
    p = new Float64Array(BLOCK + 1);
    for (let k = 0; k < BLOCK; k++) p[k + 1] = p[k]! + day(block * BLOCK + k).total;
    blocks.set(block, p);
    return p;
  };
  const totalBetween = (from: number, to: number): number => {
    if (to <= from) return 0;
    // Short spans (the common case: a case idle for days) walk the days they cover.
    if (to - from <= 32) {
      let sum = 0;
      for (let i = from; i < to; i++) sum += day(i).total;
      return sum;
    }
    const fb = Math.floor(from / BLOCK);
    const tb = Math.floor(to / BLOCK);
    const fp = prefixOf(fb);
    if (fb === tb) return fp[to - tb * BLOCK]! - fp[from - fb * BLOCK]!;
    let sum = fp[BLOCK]! - fp[from - fb * BLOCK]!;
    for (let b = fb + 1; b < tb; b++) sum += prefixOf(b)[BLOCK]!;
    return sum + prefixOf(tb)[to - tb * BLOCK]!;
  };

  // Running business ms from an anchor (the first day asked for), outward both ways as far as asked:
  // up[k] = business ms of days anchor … anchor+k−1, down[k] = −(business ms of days anchor−k … anchor−1).
  // Whole milliseconds throughout (windows and totals are: offsets are whole seconds), so sums are exact.
  let anchor = Number.NaN;
  const up: number[] = [0];
  const down: number[] = [0];
  const before = (index: number): number => {
    if (Number.isNaN(anchor)) anchor = index;
    const k = index - anchor;
    if (k >= 0) {
      if (k > CLOCK_DAYS) return Number.NaN;
      while (up.length <= k) {
        const j = up.length - 1;
        up.push(up[j]! + day(anchor + j).total);
      }
      return up[k]!;
    }
    if (-k > CLOCK_DAYS) return Number.NaN;
    while (down.length <= -k) {
      const j = down.length;
      down.push(down[j - 1]! - day(anchor - j).total);
    }
    return down[-k]!;
  };

  // Readings remembered by ms (direct-mapped, by a hash of the ms): a log's events share instants
  // (dates without a time of day: every event at a midnight), and an analysis asks for each of its
  // cases' state changes. A reading never changes once the anchor is set (by the first one). Made
  // at the first reading: most calendars (one per Jira site, per test) are never read this way.
  // Each slot is two doubles side by side (an instant, its reading): one cache line a lookup.
  let memo: Float64Array | undefined;
  // Open around the clock, every day: business time is wall time, and the clock the instant itself.
  const alwaysOpen = holidays.size === 0 && hours.every((h) => h.length === 1 && h[0]![0] === 0 && h[0]![1] === 1440);
  const wallClock = (ms: number): number => (Math.floor(ms) === ms && Math.abs(ms) <= 8.64e15 ? ms + 0 : Number.NaN);
  // A reading not remembered, in a zone of a fixed offset (UTC, the default): a day's windows are
  // its weekday's hours from its start, so the reading is the running total at the day's start and
  // a walk over those few windows, found by arithmetic — no day object looked up and walked.
  const weekdayWindows = hours.map((h) => h.flatMap(([from, to]) => [from * MINUTE, to * MINUTE]));
  const closed: number[] = [];
  const read =
    fixed === undefined
      ? (ms: number, index: number): number => before(index) + businessBefore(day(index), ms)
      : (ms: number, index: number): number => {
          const w = holidays.size > 0 && holidays.has(index) ? closed : weekdayWindows[(((index + 4) % 7) + 7) % 7]!;
          // Whole ms below 2^53 throughout: `businessBefore` of the day's own windows, exactly.
          const t = ms - (index * DAY - fixed);
          let sum = 0;
          for (let i = 0; i < w.length; i += 2) {
            if (t <= w[i]!) break;
            sum += Math.min(t, w[i + 1]!) - w[i]!;
          }
          return before(index) + sum;
        };
  const clock = alwaysOpen
    ? wallClock
    : (ms: number): number => {
        const h = (Math.imul((ms | 0) ^ ((ms / 4_294_967_296) | 0), 0x9e3779b1) >>> (32 - CLOCK_MEMO_BITS)) << 1;
        // Remembered: only whole ms within range are (NaN, the empty slot, equals nothing).
        if (memo !== undefined && memo[h] === ms) return memo[h + 1]!;
        if (Math.floor(ms) !== ms || !(Math.abs(ms) <= 8.64e15)) return Number.NaN;
        memo ??= new Float64Array(2 << CLOCK_MEMO_BITS).fill(Number.NaN);
        const reading = read(ms, dayIndexOf(ms));
        memo[h] = ms;
        memo[h + 1] = reading;
        return reading;
      };

  return { dayIndexOf, day, totalBetween, before, clock };
}

/**
 * Readings of a calendar's business clock remembered (`Engine.clock`): 8,192, 128 KiB — more than
 * the instants of road-traffic's 561,470 events (4,906), so that few of them share a slot.
 */
const CLOCK_MEMO_BITS = 13;

/** Days either side of its anchor a calendar's business clock runs (about 180 years), past which it is NaN. */
const CLOCK_DAYS = 1 << 16;

/** The offset of a zone without transitions (what `offsetFunction` gives UTC and fixed zones), else undefined. */
function fixedOffsetOf(offsetAt: OffsetFunction): number | undefined {
  return (offsetAt as { fixed?: number }).fixed;
}

type OffsetFunction = (ms: number) => number;

/** `ms → offset in ms` for a time zone. UTC and fixed zones skip Intl entirely. */
function offsetFunction(timeZone: string): OffsetFunction {
  if (timeZone === 'UTC') return Object.assign(() => 0, { fixed: 0 });
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  const fixed = (() => {
    const probe = [0, 15_552_000_000, 1_700_000_000_000, 1_715_000_000_000];
    const seen = new Set(probe.map((p) => raw(p)));
    return seen.size === 1 && /^(UTC|Etc\/|GMT)/i.test(format.resolvedOptions().timeZone) ? raw(0) : undefined;
  })();
  function raw(ms: number): number {
    const floor = Math.floor(ms / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const p of format.formatToParts(floor)) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const local = Date.UTC(
      year,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return local - floor;
  }
  if (fixed !== undefined) return Object.assign(() => fixed, { fixed });
  return raw;
}

function engineOf(cal: Calendar): Engine {
  const engine = (cal as Partial<Calendar>)[ENGINE];
  if (engine === undefined) throw new TypeError('expected a calendar made by defineCalendar()');
  return engine;
}

/**
 * The instant a local calendar date (`YYYY-MM-DD`) begins in the calendar's time zone: a go-live
 * date means the team's midnight, not UTC's. Where a daylight-saving gap swallows midnight, the day
 * begins when the clock resumes. Undefined for text that is not such a date.
 * @example startOfLocalDay(berlin, '2026-03-01') // 2026-02-28T23:00:00Z
 */
export function startOfLocalDay(cal: Calendar, date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  if (new Date(utc).getUTCDate() !== d || new Date(utc).getUTCMonth() !== mo - 1) return undefined;
  return engineOf(cal).day(utc / DAY).start;
}

/** True when `ms` falls inside working hours (windows are half-open: 17:00 itself is closed). */
export function isBusinessTime(cal: Calendar, ms: number): boolean {
  const e = engineOf(cal);
  const w = e.day(e.dayIndexOf(ms)).windows;
  for (let i = 0; i < w.length; i += 2) if (ms >= w[i]! && ms < w[i + 1]!) return true;
  return false;
}

/** `ms` itself when it is business time, otherwise the start of the next working window. */
export function nextBusinessTime(cal: Calendar, ms: number): number {
  const e = engineOf(cal);
  let index = e.dayIndexOf(ms);
  for (;;) {
    const w = e.day(index).windows;
    for (let i = 0; i < w.length; i += 2) {
      if (ms < w[i + 1]!) return Math.max(ms, w[i]!);
    }
    index++;
  }
}

/**
 * The first instant after `ms` at which working hours open or close (a window's start or end), or
 * null when no window starts or ends in the next ten years. Between `ms` and the result,
 * `isBusinessTime` does not change.
 * @example nextBusinessBoundary(DEFAULT_CALENDAR, mondayAt10h) // Monday 17:00
 */
export function nextBusinessBoundary(cal: Calendar, ms: number): number | null {
  const e = engineOf(cal);
  const first = e.dayIndexOf(ms);
  for (let index = first; index < first + 3660; index++) {
    const w = e.day(index).windows;
    for (let i = 0; i < w.length; i++) if (w[i]! > ms) return w[i]!;
  }
  return null;
}

/**
 * The instant at which `durationMs` of business time has elapsed after `fromMs`. For a positive
 * duration the clock ran in the last millisecond before the result, so a due time can be 17:00
 * exactly (the end of a window) rather than 09:00 the next working day. Zero returns `fromMs`.
 * @example addBusinessTime(DEFAULT_CALENDAR, fridayAt16h, 2 * HOUR) // Monday 10:00
 */
export function addBusinessTime(cal: Calendar, fromMs: number, durationMs: number): number {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs))
    throw new RangeError(`expected a duration ≥ 0, got ${durationMs}`);
  if (durationMs === 0) return fromMs;
  const e = engineOf(cal);
  let remaining = durationMs;
  let index = e.dayIndexOf(fromMs);
  let d = e.day(index);
  // Within the first day, start from `fromMs`.
  for (let i = 0; i < d.windows.length; i += 2) {
    const s = Math.max(d.windows[i]!, fromMs);
    const end = d.windows[i + 1]!;
    if (s >= end) continue;
    if (remaining <= end - s) return s + remaining;
    remaining -= end - s;
  }
  // Whole days are skipped by their totals; the last day is walked window by window.
  for (;;) {
    d = e.day(++index);
    if (remaining > d.total) {
      remaining -= d.total;
      continue;
    }
    for (let i = 0; i < d.windows.length; i += 2) {
      const s = d.windows[i]!;
      const end = d.windows[i + 1]!;
      if (remaining <= end - s) return s + remaining;
      remaining -= end - s;
    }
  }
}

/** Business ms in the day `d` before instant `ms`. */
function businessBefore(d: Day, ms: number): number {
  let sum = 0;
  const w = d.windows;
  for (let i = 0; i < w.length; i += 2) {
    if (ms <= w[i]!) break;
    sum += Math.min(ms, w[i + 1]!) - w[i]!;
  }
  return sum;
}

/**
 * A business clock: the business ms from a fixed instant (the calendar's own, not meaningful by
 * itself) to `ms`, so that for whole milliseconds `a` and `b`,
 * `businessClock(cal, b) - businessClock(cal, a) === businessTimeBetween(cal, a, b)` exactly. For a
 * walk over many instants (a case's state changes): one day lookup per instant, where
 * `businessTimeBetween` makes two per pair and sums the days between. NaN for a fractional `ms` or
 * one more than about 180 years from the first instant asked for: then use `businessTimeBetween`.
 */
export function businessClock(cal: Calendar, ms: number): number {
  return engineOf(cal).clock(ms);
}

/** `businessClock` of a calendar as a function of the instant alone: for a walk that reads it again and again. */
export function businessClockOf(cal: Calendar): (ms: number) => number {
  return engineOf(cal).clock;
}

/**
 * Business time elapsed from `fromMs` to `toMs`, in ms; negative when `toMs` is earlier.
 * `businessTimeBetween(cal, t, addBusinessTime(cal, t, d)) === d`.
 */
export function businessTimeBetween(cal: Calendar, fromMs: number, toMs: number): number {
  if (toMs < fromMs) return -businessTimeBetween(cal, toMs, fromMs);
  const e = engineOf(cal);
  const first = e.dayIndexOf(fromMs);
  const last = e.dayIndexOf(toMs);
  const firstDay = e.day(first);
  if (first === last) return businessBefore(firstDay, toMs) - businessBefore(firstDay, fromMs);
  return (
    firstDay.total -
    businessBefore(firstDay, fromMs) +
    e.totalBetween(first + 1, last) +
    businessBefore(e.day(last), toMs)
  );
}
