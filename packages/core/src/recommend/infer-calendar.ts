import type { CalendarInput, Weekday } from '../time/calendar.ts';
import { WEEKDAYS } from '../time/calendar.ts';
import type { HistoryObservations } from './observe-history.ts';

export interface InferredCalendar {
  readonly calendar: CalendarInput;
  readonly note: string;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** `Etc/GMT-2` is UTC+02:00 (POSIX signs are inverted); half-hour offsets have no Etc zone: UTC. */
function zoneOf(offsetMinutes: number): string {
  if (offsetMinutes === 0 || offsetMinutes % 60 !== 0) return 'UTC';
  const h = offsetMinutes / 60;
  return `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}

/**
 * The working week people kept, read from when events happened (in each event's own UTC offset):
 * the weekdays with at least 5 % of events, from the hour by which 10 % of events had happened to
 * the hour by which 90 % had. The zone is the most common offset as a fixed-offset zone; a history
 * with two offsets an hour apart had daylight saving, which only an IANA name can say.
 */
export function inferCalendar(obs: HistoryObservations): InferredCalendar {
  const total = obs.hours.reduce((a, b) => a + b, 0);
  const offsets = [...obs.offsets].sort((a, b) => b[1] - a[1]);
  const [offset = 0, offsetEvents = 0] = offsets[0] ?? [];
  const second = offsets[1];
  const dst = second !== undefined && Math.abs(second[0] - offset) === 60 && second[1] / total >= 0.1;
  const open: Weekday[] = WEEKDAYS.filter((_, d) => total > 0 && (obs.weekdays[d] ?? 0) / total >= 0.05);
  const days: Weekday[] = open.length > 0 ? open : ['mon', 'tue', 'wed', 'thu', 'fri'];
  let from = 9;
  let to = 17;
  if (total > 0) {
    let seen = 0;
    let lo: number | undefined;
    let hi: number | undefined;
    for (let h = 0; h < 24; h++) {
      seen += obs.hours[h] ?? 0;
      if (lo === undefined && seen / total >= 0.1) lo = h;
      if (hi === undefined && seen / total >= 0.9) hi = h + 1;
    }
    from = lo ?? 9;
    to = Math.max(hi ?? 17, from + 4);
  }
  const clock = (h: number) => `${String(Math.min(h, 24)).padStart(2, '0')}:00`;
  const hours: [string, string][] = [[clock(from), to >= 24 ? '24:00' : clock(to)]];
  const week = Object.fromEntries(days.map((d) => [d, hours]));
  const offsetText = (m: number) =>
    `UTC${m >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`;
  const note =
    total === 0
      ? 'no events: Monday to Friday, 09:00–17:00 UTC'
      : `${pct(offsetEvents / total)} of ${total.toLocaleString('en-US')} events carry ${offsetText(offset)}` +
        (dst
          ? ` and ${pct((second?.[1] ?? 0) / total)} ${offsetText(second?.[0] ?? 0)} (daylight saving: put your IANA zone here)`
          : '') +
        `; 80 % of events fall ${clock(from)}–${clock(to)} local on ${days.join(', ')} (days with ≥ 5 % of events)`;
  return { calendar: { timeZone: zoneOf(offset), week, holidays: [] }, note };
}
