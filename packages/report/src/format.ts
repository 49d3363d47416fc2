// Number formatting for the report: people read durations in the unit that fits them.

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function pct(rate: number | null, digits = 1): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(digits)}%`;
}

/**
 * 0.02 → "29 min", 0.4 → "9.6 h", 3.25 → "3.3 d", 412 → "412 d". Business days (`hoursPerDay`
 * given) below one day are shown in working hours of that day.
 */
export function days(value: number | null | undefined, hoursPerDay = 24): string {
  if (value === null || value === undefined) return '–';
  const hours = value * hoursPerDay;
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (value < 1) return `${hours.toFixed(1)} h`;
  return `${value < 100 ? value.toFixed(1) : int(value)} d`;
}

export function money(amount: number | null, currency: string): string {
  if (amount === null) return '–';
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${currency} ${int(amount)}`;
  }
}

/**
 * "2010-03-31T14:59:42.000Z" → "31 Mar 2010": the day in `timeZone` (UTC unless given), so a cohort
 * date that is midnight in the calendar's zone shows as that day, not the UTC day before.
 */
export function date(iso: string | null, timeZone = 'UTC'): string {
  if (iso === null) return '–';
  const d = new Date(iso);
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
}
