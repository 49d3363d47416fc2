/**
 * Domain failures are data. Every fallible operation in core returns a `Result`; formatting an
 * issue for a person is separate (`formatIssue`). Throw only for programmer errors.
 */
export type Result<T, I extends Issue = Issue> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly I[] };

/** One problem with an input, located by a path into it (a field, an index, a line). */
export interface Issue {
  readonly code: string;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export const ok = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const fail = <I extends Issue>(...issues: I[]): { readonly ok: false; readonly issues: readonly I[] } => ({
  ok: false,
  issues,
});

/** `slaGoals[2].target: expected a duration like '8h' or '3d'` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export function formatIssue(issue: Issue): string {
  const where = formatPath(issue.path);
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

/** Converts zod's issues into ours, keeping the path and the message. */
export function fromZodIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
): Issue[] {
  return issues.map((i) => ({
    code: `schema.${i.code ?? 'invalid'}`,
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }));
}
