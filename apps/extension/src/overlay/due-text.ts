/**
 * A due time as a rep reads it: relative ("due in 5 hours", "2 days overdue") and, in brackets, the
 * day and time in the rep's own time zone and language (`Intl`, the browser's defaults unless given).
 * Jira stores instants in UTC; a raw `2026-11-24T17:00:00Z` is not what anyone should have to convert.
 */
export function dueText(due: Date, now: Date, locale?: string, timeZone?: string): string {
  const minutes = Math.round((due.getTime() - now.getTime()) / 60_000);
  const abs = Math.abs(minutes);
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    abs < 60
      ? [minutes, 'minute']
      : abs < 48 * 60
        ? [Math.round(minutes / 60), 'hour']
        : [Math.round(minutes / 1440), 'day'];
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(value, unit);
  const absolute = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(due);
  return minutes < 0 ? `overdue, due ${relative} (${absolute})` : `due ${relative} (${absolute})`;
}
