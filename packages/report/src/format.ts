// Number formatting for the report: people read durations in the unit that fits them.
//
// The first use of Intl's number or date service in a process builds its set of available locales
// (ICU): both cost `baton analyze` 12 % of its instructions on a small log (ADR 0017, ninth pass —
// start-up). So the common cases are written out here: whole numbers with en-US grouping, amounts in
// euros, dollars and pounds, and UTC days; anything else goes to Intl. format.test.ts holds each fast
// path equal to Intl's text.

/** "1,234,567" for a safe integer, as `toLocaleString('en-US')` writes it. */
function grouped(whole: number): string {
  const digits = String(Math.abs(whole));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

export function int(n: number): string {
  const whole = Math.round(n);
  if (!Number.isSafeInteger(whole)) return whole.toLocaleString('en-US');
  return whole < 0 || Object.is(whole, -0) ? `-${grouped(whole)}` : grouped(whole);
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

/** Currencies whose en-US text is the symbol before the digits ("€1,234", "-€1,234"). */
const SYMBOLS: Readonly<Record<string, string>> = { EUR: '€', USD: '$', GBP: '£' };

export function money(amount: number | null, currency: string): string {
  if (amount === null) return '–';
  const symbol = Object.hasOwn(SYMBOLS, currency) ? SYMBOLS[currency] : undefined;
  // Whole units, halves away from zero (Intl's rounding); a negative amount keeps its sign at 0.
  const whole = Math.round(Math.abs(amount));
  if (symbol !== undefined && Number.isSafeInteger(whole))
    return `${amount < 0 || Object.is(amount, -0) ? '-' : ''}${symbol}${grouped(whole)}`;
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
  const year = d.getUTCFullYear();
  if (timeZone === 'UTC' && year >= 1 && year <= 9999) return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${year}`;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone });
}

/** en-GB's short month names (CLDR: "Sept"). */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
