/**
 * Code-aware tokenizer for issue text. Bug reports mix prose with identifiers, versions, paths and
 * stack traces, so a plain word split loses the most telling tokens:
 * - `Ti.UI.TableView` → `ti`, `ui`, `tableview`, `table`, `view` (dotted and camelCase parts, plus the whole);
 * - `get_current_position` → `get`, `current`, `position`, `get_current_position`;
 * - `6.1.2.GA` / `v3.0` → `#ver` and `ver:6.1` (the major.minor is what tells components apart; the
 *   patch level mostly tells time, which would leak the split);
 * - URLs become `#url` plus the host, plain numbers become `#num`.
 *
 * The scanner writes tokens as spans of the text (no string per token): the featurizer hashes a
 * token's characters straight from the text, which halved its time. Its rules are those of the
 * regular expressions it replaced, kept in packages/core/test/router-reference.ts and held against it
 * by tokenize.test.ts: at each position, in this order, a URL (`https?://` and one or more characters
 * other than white space and `)]|>"'`), an identifier (`[A-Za-z_$][A-Za-z0-9_$]*` joined by dots), a
 * version (`\d+\.\d+` and any `[A-Za-z0-9.]` after it), a number (`\d+`); other characters are skipped.
 */

/** A token's kind: how its characters are made from its span. */
export const WORD = 0; // the span, lower-cased (ASCII letters only: identifiers have no others)
export const URL = 1; // '#url'
export const VER = 2; // '#ver'
export const NUM = 3; // '#num'
export const VERSION = 4; // 'ver:' + the span (major.minor)
export const HOST = 5; // 'host:' + the span, lower-cased (an ASCII host, `www.` left out)
export const TEXT = 6; // `Tokens.texts[start]` as it is (a host with other characters)

/** The fixed characters of each kind: a prefix before the span's (empty for WORD and TEXT). */
export const PREFIXES: readonly string[] = ['', '#url', '#ver', '#num', 'ver:', 'host:', ''];

/** One text's tokens, in order, as parallel arrays; reused from text to text (`scanTokens` resets it). */
export class Tokens {
  text = '';
  count = 0;
  kind = new Uint8Array(256);
  start = new Int32Array(256);
  end = new Int32Array(256);
  /** Hosts whose lower case is not ASCII folding, as `host:…` strings (rare). */
  texts: string[] = [];
  // A word's camelCase parts while they are counted (pushWord emits them after its whole).
  partStart = new Int32Array(64);
  partEnd = new Int32Array(64);

  push(kind: number, start: number, end: number): void {
    if (this.count === this.kind.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.kind = grow(this.kind, (n) => new Uint8Array(n));
      this.start = grow(this.start, (n) => new Int32Array(n));
      this.end = grow(this.end, (n) => new Int32Array(n));
    }
    this.kind[this.count] = kind;
    this.start[this.count] = start;
    this.end[this.count++] = end;
  }

  /** Token `i` as a string (for tests and the baselines; the featurizer hashes spans instead). */
  toString(i: number): string {
    const kind = this.kind[i]!;
    if (kind === TEXT) return this.texts[this.start[i]!]!;
    const span = this.text.slice(this.start[i]!, this.end[i]!);
    return PREFIXES[kind]! + (kind === WORD || kind === HOST ? span.toLowerCase() : span);
  }
}

const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isDigit = (c: number) => c >= 48 && c <= 57;
// [A-Za-z_$] and [A-Za-z0-9_$]
const isIdentStart = (c: number) => isUpper(c) || isLower(c) || c === 95 || c === 36;
const isIdent = (c: number) => isIdentStart(c) || isDigit(c);
// [A-Za-z0-9.]
const isVersionTail = (c: number) => isUpper(c) || isLower(c) || isDigit(c) || c === 46;

/** `\s` of a regular expression without the `u` flag: ECMAScript white space and line terminators. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A character that ends a URL: `[\s)\]|>"']`. */
const endsUrl = (c: number) => c === 41 || c === 93 || c === 124 || c === 62 || c === 34 || c === 39 || isSpace(c);

/** Length of `https?://` at `p` (7 or 8), or 0. */
function urlScheme(text: string, p: number): number {
  if (text.charCodeAt(p + 1) !== 116 || text.charCodeAt(p + 2) !== 116 || text.charCodeAt(p + 3) !== 112) return 0;
  const q = text.charCodeAt(p + 4) === 115 ? p + 5 : p + 4;
  return text.charCodeAt(q) === 58 && text.charCodeAt(q + 1) === 47 && text.charCodeAt(q + 2) === 47 ? q + 3 - p : 0;
}

/**
 * A word of an identifier (`/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g` for its camelCase parts): the whole,
 * lower-cased, when 2 to 40 characters long, then its parts of 2+ characters when it has more than one.
 */
function pushWord(out: Tokens, text: string, from: number, to: number): void {
  let parts = 0;
  let q = from;
  while (q < to) {
    const c = text.charCodeAt(q);
    let end: number;
    if (isUpper(c)) {
      let run = q + 1;
      while (run < to && isUpper(text.charCodeAt(run))) run++;
      if (run < to && isLower(text.charCodeAt(run))) {
        if (run - q >= 2)
          end = run - 1; // the capitals before a capitalised word: `HTML` of `HTMLParser`
        else {
          end = run + 1; // one capital and its lower case: `Parser`
          while (end < to && isLower(text.charCodeAt(end))) end++;
        }
      } else end = run;
    } else if (isLower(c)) {
      end = q + 1;
      while (end < to && isLower(text.charCodeAt(end))) end++;
    } else if (isDigit(c)) {
      end = q + 1;
      while (end < to && isDigit(text.charCodeAt(end))) end++;
    } else {
      q++;
      continue;
    }
    if (parts === out.partStart.length) {
      const s = new Int32Array(parts * 2);
      const e = new Int32Array(parts * 2);
      s.set(out.partStart);
      e.set(out.partEnd);
      out.partStart = s;
      out.partEnd = e;
    }
    out.partStart[parts] = q;
    out.partEnd[parts++] = end;
    q = end;
  }
  const length = to - from;
  if (length > 1 && length <= 40) out.push(WORD, from, to);
  // With two parts or more, no part is the whole word (each is shorter).
  if (parts > 1) {
    for (let i = 0; i < parts; i++) {
      if (out.partEnd[i]! - out.partStart[i]! > 1) out.push(WORD, out.partStart[i]!, out.partEnd[i]!);
    }
  }
}

/** The tokens of an identifier match `text[from, to)` (letters, digits, `_`, `$`, dots between). */
function pushIdentifier(out: Tokens, text: string, from: number, to: number, dotted: boolean): void {
  if (
    to - from >= 4 &&
    text.charCodeAt(from) === 104 &&
    text.charCodeAt(from + 1) === 116 &&
    text.charCodeAt(from + 2) === 116 &&
    text.charCodeAt(from + 3) === 112
  ) {
    out.push(URL, from, from); // `http…` that is no URL (`httpClient`): a URL marker without a host
    return;
  }
  if (dotted) {
    let piece = from;
    for (let i = from; i <= to; i++) {
      if (i === to || text.charCodeAt(i) === 46) {
        pushWord(out, text, piece, i);
        piece = i + 1;
      }
    }
    out.push(WORD, from, to);
    return;
  }
  let underscore = -1;
  for (let i = from; i < to && underscore < 0; i++) if (text.charCodeAt(i) === 95) underscore = i;
  if (underscore < 0) {
    pushWord(out, text, from, to);
    return;
  }
  let pieces = 0;
  let piece = from;
  for (let i = from; i <= to; i++) {
    if (i === to || text.charCodeAt(i) === 95) {
      if (i > piece) {
        pushWord(out, text, piece, i);
        pieces++;
      }
      piece = i + 1;
    }
  }
  if (pieces > 1) out.push(WORD, from, to);
}

/** The marker and host of a URL match `text[from, to)`. */
function pushUrl(out: Tokens, text: string, from: number, to: number, scheme: number): void {
  out.push(URL, from, from);
  const hostStart = from + scheme;
  let hostEnd = hostStart;
  let ascii = true;
  for (; hostEnd < to; hostEnd++) {
    const c = text.charCodeAt(hostEnd);
    if (c === 47 || c === 58 || c === 63 || c === 35) break; // [/:?#]
    if (c >= 128) ascii = false;
  }
  if (hostEnd === hostStart) return;
  if (!ascii) {
    out.texts.push(
      `host:${text
        .slice(hostStart, hostEnd)
        .toLowerCase()
        .replace(/^www\./, '')}`,
    );
    out.push(TEXT, out.texts.length - 1, out.texts.length - 1);
    return;
  }
  const www =
    hostEnd - hostStart >= 4 &&
    (text.charCodeAt(hostStart) | 32) === 119 &&
    (text.charCodeAt(hostStart + 1) | 32) === 119 &&
    (text.charCodeAt(hostStart + 2) | 32) === 119 &&
    text.charCodeAt(hostStart + 3) === 46;
  out.push(HOST, www ? hostStart + 4 : hostStart, hostEnd);
}

/** Scans `text` into `out` (emptied first): its tokens in order. */
export function scanTokens(text: string, out: Tokens): Tokens {
  out.text = text;
  out.count = 0;
  out.texts.length = 0;
  const length = text.length;
  let p = 0;
  while (p < length) {
    const c = text.charCodeAt(p);
    if (c === 104) {
      const scheme = urlScheme(text, p);
      if (scheme > 0 && p + scheme < length && !endsUrl(text.charCodeAt(p + scheme))) {
        let end = p + scheme + 1;
        while (end < length && !endsUrl(text.charCodeAt(end))) end++;
        pushUrl(out, text, p, end, scheme);
        p = end;
        continue;
      }
    }
    if (isIdentStart(c)) {
      let end = p + 1;
      let dotted = false;
      for (;;) {
        while (end < length && isIdent(text.charCodeAt(end))) end++;
        if (end + 1 < length && text.charCodeAt(end) === 46 && isIdentStart(text.charCodeAt(end + 1))) {
          dotted = true;
          end += 2;
        } else break;
      }
      pushIdentifier(out, text, p, end, dotted);
      p = end;
      continue;
    }
    if (isDigit(c)) {
      let digits = p + 1;
      while (digits < length && isDigit(text.charCodeAt(digits))) digits++;
      if (digits + 1 < length && text.charCodeAt(digits) === 46 && isDigit(text.charCodeAt(digits + 1))) {
        let minor = digits + 2;
        while (minor < length && isDigit(text.charCodeAt(minor))) minor++;
        let end = minor;
        while (end < length && isVersionTail(text.charCodeAt(end))) end++;
        out.push(VER, p, p);
        out.push(VERSION, p, minor);
        p = end;
      } else {
        out.push(NUM, p, p);
        p = digits;
      }
      continue;
    }
    p++;
  }
  return out;
}

// tokenize's spans, reused: its strings are made before it returns.
const stringTokens = new Tokens();

/** Lower-cased tokens of `text`, in order (bigrams are built from this order). */
export function tokenize(text: string): string[] {
  const tokens = scanTokens(text, stringTokens);
  return Array.from({ length: tokens.count }, (_, i) => tokens.toString(i));
}
