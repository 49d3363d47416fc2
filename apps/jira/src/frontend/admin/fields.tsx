import { Button, ErrorMessage, Label, Select, Stack, Text, Textfield, UserPicker } from '@forge/react';
import type { ComponentProps } from 'react';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, listFromText, messagesAt, numberOrText, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';

/** What the form's pickers offer (the getPickerOptions resolver's answer). */
export type PickerOptions = ContractOutput<'getPickerOptions'>;

/** What every charter field needs: the draft, where in it, how to change it, and the problems found. */
export interface FieldProps {
  label: string;
  draft: Draft;
  path: Path;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
}

/**
 * How a field's text becomes its value: `nullable`/`optional` turn an empty field into null/absent;
 * `hours` is a day's working hours, `09:00-12:00, 13:00-17:00` (empty: closed).
 */
type Kind = 'text' | 'number' | 'list' | 'numbers' | 'nullable' | 'optional' | 'hours';

const shown = (v: unknown): string =>
  Array.isArray(v)
    ? v.map((x) => (Array.isArray(x) ? x.join('-') : String(x))).join(', ')
    : v === undefined || v === null
      ? ''
      : String(v);
const READ: Record<Kind, (text: string) => unknown> = {
  text: (t) => t,
  number: numberOrText,
  list: listFromText,
  numbers: (t) => listFromText(t).map(numberOrText),
  nullable: (t) => (t.trim() === '' ? null : t),
  optional: (t) => (t.trim() === '' ? undefined : t),
  hours: (t) => listFromText(t).map((span) => span.split('-').map((x) => x.trim())),
};

/** The problems at `path` (and, for a list, at its items), each as an error message under the field. */
export function Problems({ issues, path }: { issues: readonly PathIssue[]; path: Path }) {
  const at = pathKey(path);
  const here = issues.flatMap((i) => {
    if (pathKey(i.path) === at) return [i.message];
    // A problem with one item of a list field (workdays.2) is shown under the list.
    const item = i.path[path.length];
    return i.path.length === path.length + 1 && typeof item === 'number' && pathKey(i.path.slice(0, -1)) === at
      ? [`item ${item + 1}: ${i.message}`]
      : [];
  });
  return (
    <>
      {here.map((m) => (
        <ErrorMessage key={m}>{m}</ErrorMessage>
      ))}
    </>
  );
}

/**
 * UI Kit's `Select` under its label, named and labelled by `id`; with `problems`, the problems at that
 * path under it. Every choice field of the admin forms is one.
 */
export function LabelledSelect({
  label,
  id,
  problems,
  ...select
}: { label: string; id: string; problems?: Pick<FieldProps, 'issues' | 'path'> } & Omit<
  ComponentProps<typeof Select>,
  'inputId' | 'name'
>) {
  return (
    <Stack space="space.050">
      <Label labelFor={id}>{label}</Label>
      <Select inputId={id} name={id} {...select} />
      {problems === undefined ? null : <Problems issues={problems.issues} path={problems.path} />}
    </Stack>
  );
}

/** A labelled text field whose value lives at `path` (a number, or a comma-separated list of texts or numbers, by `kind`). */
export function CharterField({ label, draft, path, issues, onEdit, kind = 'text' }: FieldProps & { kind?: Kind }) {
  const id = pathKey(path);
  const invalid = messagesAt(issues, path).length > 0;
  return (
    <Stack space="space.050">
      <Label labelFor={id}>{label}</Label>
      <Textfield
        id={id}
        name={id}
        value={shown(getAt(draft, path))}
        isInvalid={invalid}
        onChange={(e) => onEdit(path, READ[kind](String(e.target.value ?? '')))}
      />
      <Problems issues={issues} path={path} />
    </Stack>
  );
}

/**
 * A labelled choice among `options`; the value at `path` is the chosen option's value. `fallback` is
 * shown while the charter sets none (an autonomy kind that follows `autonomy.default`).
 */
export function CharterSelect({
  label,
  draft,
  path,
  issues,
  onEdit,
  options,
  fallback,
}: FieldProps & { options: readonly string[]; fallback?: string | undefined }) {
  const id = pathKey(path);
  const value = shown(getAt(draft, path) ?? fallback);
  return (
    <LabelledSelect
      label={label}
      id={id}
      problems={{ issues, path }}
      value={{ label: value, value }}
      options={options.map((o) => ({ label: o, value: o }))}
      onChange={(o: { value: string } | null) => onEdit(path, o?.value)}
    />
  );
}

/** One choice a picker offers: what it shows and what the charter stores. */
export interface Choice {
  label: string;
  value: string;
}

/** Choices stored by name (the site's priorities, a project's components), as the router writes them. */
export const choicesByName = (list: readonly { name: string }[]): Choice[] =>
  list.map((x) => ({ label: x.name, value: x.name }));

/**
 * A labelled choice among `options` (from Jira, or from the charter itself); the value at `path` is the
 * chosen option's value. A value the options do not know (typed in the YAML, or gone from Jira) is shown
 * as it is, marked, and kept until another is chosen. `empty` is the choice that clears an optional field.
 */
export function CharterChoice({
  label,
  draft,
  path,
  issues,
  onEdit,
  options,
  empty,
  unknownNote = 'not found in Jira',
}: FieldProps & {
  options: readonly Choice[];
  empty?: { label: string; value: null | undefined };
  unknownNote?: string;
}) {
  const id = pathKey(path);
  const current = shown(getAt(draft, path));
  const known =
    options.find((o) => o.value === current) ??
    options.find((o) => o.label.toLowerCase() === current.toLowerCase() && current !== '');
  const unknown: Choice[] =
    current !== '' && known === undefined ? [{ label: `${current} (${unknownNote})`, value: current }] : [];
  const none: Choice[] = empty === undefined ? [] : [{ label: empty.label, value: '' }];
  const all = [...none, ...options, ...unknown];
  const selected = current === '' ? (none[0] ?? null) : (known ?? unknown[0] ?? null);
  return (
    <LabelledSelect
      label={label}
      id={id}
      problems={{ issues, path }}
      value={selected}
      options={all}
      isInvalid={messagesAt(issues, path).length > 0}
      onChange={(o: Choice | null) => onEdit(path, o === null || o.value === '' ? empty?.value : o.value)}
    />
  );
}

/**
 * A labelled choice of several among `options`; the value at `path` is the list of the chosen options'
 * values. A value the options do not know (typed in the YAML, or a status gone from the map) is shown as
 * it is, marked, and kept until removed. A problem with one item shows as `item 2: …`.
 */
export function CharterMulti({
  label,
  draft,
  path,
  issues,
  onEdit,
  options,
  unknownNote = 'not known here',
}: FieldProps & { options: readonly Choice[]; unknownNote?: string }) {
  const id = pathKey(path);
  const value = getAt(draft, path);
  const current = Array.isArray(value) ? value.map(String) : [];
  const selected = current.map(
    (v) => options.find((o) => o.value === v) ?? { label: `${v} (${unknownNote})`, value: v },
  );
  return (
    <LabelledSelect
      label={label}
      id={id}
      problems={{ issues, path }}
      isMulti
      value={selected}
      options={[...options, ...selected.filter((s) => !options.some((o) => o.value === s.value))]}
      isInvalid={issues.some((i) => pathKey(i.path).startsWith(id))}
      onChange={(list: readonly Choice[] | null) =>
        onEdit(
          path,
          (list ?? []).map((c) => c.value),
        )
      }
    />
  );
}

/**
 * A person, picked with UI Kit's `UserPicker` (Jira's own user search); the charter stores the account id,
 * shown under the picker so that an id the picker cannot resolve (say, from the YAML) is still seen and kept.
 * `clearLabel` names the button that empties it (to null or absent, by `empty`).
 */
export function CharterUser({
  label,
  draft,
  path,
  issues,
  onEdit,
  clearLabel,
  empty,
}: FieldProps & { clearLabel: string; empty: null | undefined }) {
  const id = pathKey(path);
  const current = shown(getAt(draft, path));
  return (
    <Stack space="space.050">
      {/* `defaultValue` is read when the picker mounts: a new value (from the YAML, or cleared) mounts a new one. */}
      <UserPicker
        key={current}
        label={label}
        name={id}
        {...(current === '' ? {} : { defaultValue: current })}
        placeholder="Search people"
        onChange={(u: { id?: string } | null | undefined) => onEdit(path, u?.id ? u.id : empty)}
      />
      {current === '' ? <Text>Nobody chosen.</Text> : <Text>{`Account id: ${current}`}</Text>}
      {current === '' ? null : <Button onClick={() => onEdit(path, empty)}>{clearLabel}</Button>}
      <Problems issues={issues} path={path} />
    </Stack>
  );
}
