/**
 * `a.localeCompare(b)` (-1, 0 or 1), without ICU when both are made of ASCII letters, digits,
 * spaces, '_' and '-' — what state names, owner ids and reasons mostly are. The first `localeCompare` in a process
 * starts ICU's collator (~70 M instructions, ADR 0017 ninth pass — the run's tail), where the
 * analysis's ranked lists only break ties by name. ICU's root order on those characters: space, '_', '-',
 * digits, letters, the letters compared without case first; then, at the first letter that differs
 * only in case, the lower case first. compare-text.test.ts holds it equal to `localeCompare`.
 */
export function compareText(a: string, b: string): number {
  if (!plain(a) || !plain(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  let byCase = 0;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const rx = RANK[x]!;
    const ry = RANK[y]!;
    if (rx !== ry) return rx < ry ? -1 : 1;
    // The same letter in two cases: 'a' (97) before 'A' (65), unless a letter further on differs.
    if (byCase === 0) byCase = x > y ? -1 : 1;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return byCase;
}

/** Each ASCII character's place in ICU's root order, letters of either case alike; -1: not handled here. */
const RANK = new Int8Array(128).fill(-1);
RANK[32] = 0; // ' '
RANK[95] = 1; // '_'
RANK[45] = 2; // '-'
for (let c = 0; c < 10; c++) RANK[48 + c] = 3 + c;
for (let c = 0; c < 26; c++) RANK[65 + c] = RANK[97 + c] = 13 + c;

function plain(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || RANK[c]! < 0) return false;
  }
  return true;
}
