/**
 * C0 and C1 control characters (except tab and newline), DEL, and the Unicode marks that reorder
 * or hide text (bidi overrides and isolates, line/paragraph separators).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text made safe for a terminal: every control character written as a visible `\u001b`-style
 * escape, so that data (a file name, a state, a skipped record) can neither move the cursor,
 * retitle or clear the terminal (ESC, OSC, BEL, CR) nor fake a line. The escapes are the JSON
 * ones, so JSON printed through it stays valid.
 * @example escapeTerminal('\u001b]0;pwned\u0007') // '\\u001b]0;pwned\\u0007'
 */
export function escapeTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
