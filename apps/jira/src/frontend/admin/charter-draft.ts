import { parse, stringify } from 'yaml';
import { parseAppCharter } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';

/**
 * The charter as the form edits it: plain data that may be invalid while the admin types (a
 * number field holding "abc" stays "abc" so that the schema can name the field). Validation is the
 * same parser the backend applies on save (core's, `parseAppCharter`), so a message sits under the field it is about.
 */
export type Draft = Record<string, unknown>;
export type Path = readonly (string | number)[];

export const pathKey = (path: Path): string => path.join('.');

export function getAt(draft: unknown, path: Path): unknown {
  let v: unknown = draft;
  for (const p of path)
    v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[p];
  return v;
}

/** A copy of `draft` with `value` at `path` (objects and arrays along the way are copied, not changed). */
export function setAt<T>(draft: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const base: unknown = draft ?? (typeof head === 'number' ? [] : {});
  const copy = (Array.isArray(base) ? [...base] : { ...(base as object) }) as Record<string | number, unknown>;
  copy[head] = setAt(copy[head], rest, value);
  return copy as T;
}

/** The form's starting point: the YAML in force with every default spelled out. */
export function draftFromYaml(text: string): Draft {
  const raw: unknown = parse(text) ?? {};
  const r = parseAppCharter(raw);
  return (r.ok ? r.value : raw) as Draft;
}

/** Every problem of the draft, located by path, exactly as a save would report them. */
export function validateDraft(draft: Draft): { ok: true; yaml: string } | { ok: false; issues: PathIssue[] } {
  const r = parseAppCharter(draft);
  if (!r.ok)
    return { ok: false, issues: r.issues.map((i) => ({ code: i.code, path: [...i.path], message: i.message })) };
  return { ok: true, yaml: stringify(r.value) };
}

/** The messages about one field (its path exactly). */
export const messagesAt = (issues: readonly PathIssue[], path: Path): string[] =>
  issues.filter((i) => pathKey(i.path) === pathKey(path)).map((i) => i.message);

/** Number fields: a number when the text is one, the text itself otherwise (so the schema names it). */
export function numberOrText(text: string): number | string {
  const t = text.trim();
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : text;
}

/** Comma-separated list fields. */
export const listFromText = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
