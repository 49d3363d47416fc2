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

/**
 * `x` with exactly `digits` decimals (0–3) and en-US grouping, as
 * `toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })` writes
 * it, by hand while `String(x)` gives plain digits (1e-6 ≤ |x| < 2^43): like ICU it rounds the shortest
 * decimal that reads back as `x` (2.005 → "2.01" at two), halves away from zero, and keeps the sign of
 * a negative that rounds to 0 ("-0.00"). Anything else goes to Intl.
 */
export function fixed(x: number, digits: number): string {
  const abs = x < 0 ? -x : x;
  if (!(abs < 2 ** 43) || (abs !== 0 && abs < 1e-6) || !(digits >= 0 && digits <= 3 && Number.isInteger(digits)))
    return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const text = String(abs);
  const dot = text.indexOf('.');
  const fraction = dot < 0 ? '' : text.slice(dot + 1);
  // The digits up to the last kept decimal, as one whole number, rounded up when the next digit is 5 or more.
  let scaled = Number((dot < 0 ? text : text.slice(0, dot)) + fraction.slice(0, digits).padEnd(digits, '0'));
  if (fraction.length > digits && fraction.charCodeAt(digits) >= 53) scaled++;
  const unit = 10 ** digits;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const whole = grouped(Math.floor(scaled / unit));
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(scaled % unit).padStart(digits, '0')}`;
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
