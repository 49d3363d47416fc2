import type { Charter } from './charter-schema.ts';
import { parseCharter } from './parse-charter.ts';

/** What stands in a charter's text where an erased account was named. */
export const CLOSED_ACCOUNT_TEXT = 'a closed account';

/** A charter without one person, and where it named them (`routing.teams[0].lead`), for the admin. */
export interface CharterWithout {
  readonly charter: Charter;
  readonly paths: readonly string[];
}

/**
 * The charter without a person whose account was closed (a platform's personal-data erasure, e.g.
 * Atlassian's): a list drops them (`report.to`, a team's `members`: a member whose `id` they are), a field
 * that named only them is removed so its default applies (a team's `lead`, an ownership rule's `owner`, a
 * ladder step's `target`, `escalateTo`), and text that mentions them (a step's message) says `a closed
 * account` instead. Should removing leave the charter invalid (a required field that held only the id),
 * the id is replaced by that text everywhere instead: the result is always a valid charter. A charter
 * that does not name the person comes back as it was, with no paths.
 *
 * @example
 * charterWithout(charter, 'u-ada').paths // ['routing.teams[0].lead', 'report.to[0]']
 */
export function charterWithout(charter: Charter, accountId: string): CharterWithout {
  const removed = rewrite(charter, accountId, true);
  if (removed.paths.length === 0) return { charter, paths: [] };
  const parsed = parseCharter(removed.value);
  if (parsed.ok) return { charter: parsed.value, paths: removed.paths };
  const replaced = rewrite(charter, accountId, false);
  const again = parseCharter(replaced.value);
  // Replacing one non-empty string by another keeps every field's type: a failure here is a bug.
  if (!again.ok) throw new Error(`charterWithout: ${again.issues.map((i) => i.message).join('; ')}`);
  return { charter: again.value, paths: replaced.paths };
}

/** The charter's data with the person dropped (`drop`) or only their id replaced in text, and where. */
function rewrite(charter: Charter, accountId: string, drop: boolean): { value: unknown; paths: string[] } {
  const paths: string[] = [];
  const isPerson = (x: unknown): boolean =>
    x === accountId || (typeof x === 'object' && x !== null && (x as { id?: unknown }).id === accountId);
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      if (!v.includes(accountId)) return v;
      paths.push(path);
      return v.split(accountId).join(CLOSED_ACCOUNT_TEXT);
    }
    if (Array.isArray(v)) {
      const kept = drop
        ? v.filter((x, i) => {
            if (isPerson(x)) paths.push(`${path}[${i}]`);
            return !isPerson(x);
          })
        : v;
      return kept.map((x, i) => walk(x, `${path}[${i}]`));
    }
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const at = path === '' ? k : `${path}.${k}`;
        if (drop && x === accountId) paths.push(at);
        else out[k] = walk(x, at);
      }
      return out;
    }
    return v;
  };
  return { value: walk(charter, ''), paths };
}
