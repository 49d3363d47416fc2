/**
 * `x.toLocaleString('en-US', { maximumFractionDigits: 1 })`, by hand when `String(x)` writes plain
 * digits (|x| from 1e-6 to below 2^49): the first use of Intl's number format in a process builds
 * ICU's locale set (~115 M instructions, ADR 0017 ninth pass — start-up), and the shortlist's
 * assumptions were the last such use in a default analyze. Like ICU, it rounds the shortest decimal
 * that reads back as `x` (not its exact binary value: 2.05 → "2.1"), halves away from zero, and keeps
 * the sign of a negative that rounds to 0 ("-0"). format-number.test.ts holds it equal to Intl.
 */
export function oneDecimal(x: number): string {
  const abs = x < 0 ? -x : x;
  if (!(abs < 2 ** 49) || (abs !== 0 && abs < 1e-6)) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const text = String(abs);
  const dot = text.indexOf('.');
  let whole = Number(dot < 0 ? text : text.slice(0, dot));
  let tenths = dot < 0 || dot + 1 >= text.length ? 0 : text.charCodeAt(dot + 1) - 48;
  if (dot >= 0 && dot + 2 < text.length && text.charCodeAt(dot + 2) >= 53) tenths++;
  if (tenths === 10) {
    whole++;
    tenths = 0;
  }
  const digits = String(whole);
  const head = ((digits.length - 1) % 3) + 1;
  let out = x < 0 || Object.is(x, -0) ? `-${digits.slice(0, head)}` : digits.slice(0, head);
  for (let i = head; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return tenths === 0 ? out : `${out}.${tenths}`;
}
