import * as z from 'zod';

/**
 * Durations in business time, as a charter writes them: `30m`, `8h`, `3d`, `2d4h`, `1w`.
 * A business day is 8 business hours and a week 5 business days: targets are about working time,
 * so "3d" means three working days whatever the calendar's hours are.
 */
export const BUSINESS_HOUR_MS = 3_600_000;
export const BUSINESS_DAY_MS = 8 * BUSINESS_HOUR_MS;
export const BUSINESS_WEEK_MS = 5 * BUSINESS_DAY_MS;

const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** Business ms of a duration like `2d4h`, or `undefined` when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null || text.trim() === '') return undefined;
  const [, w = '0', d = '0', h = '0', mi = '0'] = m;
  const ms =
    Number(w) * BUSINESS_WEEK_MS + Number(d) * BUSINESS_DAY_MS + Number(h) * BUSINESS_HOUR_MS + Number(mi) * 60_000;
  return ms > 0 ? ms : undefined;
}

/** `2d4h` for 20 business hours; the inverse of `parseDuration` for whole minutes. */
export function formatDuration(ms: number): string {
  if (!(ms > 0)) return '0m';
  let rest = Math.round(ms / 60_000);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 8 * 60],
    ['h', 60],
    ['m', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}

export const DurationSchema = z.string().refine((s) => parseDuration(s) !== undefined, {
  message: "expected a duration like '8h' or '3d'",
});
