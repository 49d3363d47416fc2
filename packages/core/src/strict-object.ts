import * as z from 'zod';

/** Keys longer than this are not compared (a misspelt key is short; a pasted blob is not). */
const MAX_COMPARED = 64;
/** Unknown keys named one by one in a message; the rest are counted. */
const MAX_NAMED = 5;

/** Edit distance (insert, delete, substitute, swap of neighbours), given up past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known key a misspelt one was most likely meant to be, or undefined when none is close
 * (case-insensitive equality, or an edit distance of at most a third of the key's length, ≤ 3).
 * @example didYouMean('maxNudgesPerCasePerDy', ['maxNudgesPerCasePerDay']) // 'maxNudgesPerCasePerDay'
 */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  if (key.length > MAX_COMPARED) return undefined;
  const lower = key.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    if (candidate.toLowerCase() === lower) return candidate;
    const d = distance(lower, candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

const quote = (key: string): string => `'${key.length > MAX_COMPARED ? `${key.slice(0, MAX_COMPARED)}…` : key}'`;

/** "unknown key 'maxNudgesPerCasePerDy' (did you mean 'maxNudgesPerCasePerDay'?)", for every unknown key of one object. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const named = keys.slice(0, MAX_NAMED).map((key) => {
    const guess = didYouMean(key, known);
    return guess === undefined ? quote(key) : `${quote(key)} (did you mean '${guess}'?)`;
  });
  const more = keys.length > MAX_NAMED ? `, and ${keys.length - MAX_NAMED} more` : '';
  const expected = known.length === 0 ? 'no keys' : known.map((k) => `'${k}'`).join(', ');
  return `unknown key${keys.length === 1 ? '' : 's'} ${named.join(', ')}${more}; expected ${expected}`;
}

/**
 * An object schema for configuration a person writes: a key the schema does not know is an error,
 * named with the known key it was probably meant to be, instead of being dropped in silence
 * (a misspelt cap would otherwise run with no cap).
 */
export function strictObject<const Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
  });
}
