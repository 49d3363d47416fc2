/**
 * One-time link codes: a person sees one in Jira's panel and sends it to the bot, which proves that the
 * chat user and the Jira account are the same person where the site does not let the app read emails.
 * Pure: the random bytes come from the caller.
 */

/** Crockford's base32 without I, L, O, U: nothing to misread when typing a code off a screen. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Eight symbols: 40 bits; with `LINK_ATTEMPTS_PER_HOUR` guesses an hour, a guess succeeds about once in 10^10 hours per live code. */
export const LINK_CODE_BYTES = 5;
export const LINK_CODE_TTL_MS = 15 * 60_000;
export const LINK_ATTEMPTS_PER_HOUR = 10;

/**
 * A code from 5 random bytes, as `XXXX-XXXX`.
 * @example linkCodeFrom(new Uint8Array([0, 0, 0, 0, 1])) // '0000-0001'
 */
export function linkCodeFrom(bytes: Uint8Array): string {
  if (bytes.length !== LINK_CODE_BYTES)
    throw new RangeError(`expected ${LINK_CODE_BYTES} random bytes, got ${bytes.length}`);
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = (ALPHABET[Number(n & 31n)] ?? '0') + out;
    n >>= 5n;
  }
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

/**
 * The link code in what a person typed, normalised as Crockford reads it (lower case, O→0, I/L→1, with or
 * without the dash), or null when there is none.
 */
export function findLinkCode(text: string): string | null {
  const m = /(?:^|[^0-9A-Za-z])([0-9A-Za-z]{4})-?([0-9A-Za-z]{4})(?![0-9A-Za-z])/.exec(text);
  if (m === null) return null;
  const norm = `${m[1]}${m[2]}`.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  if (![...norm].every((c) => ALPHABET.includes(c))) return null;
  return `${norm.slice(0, 4)}-${norm.slice(4)}`;
}
