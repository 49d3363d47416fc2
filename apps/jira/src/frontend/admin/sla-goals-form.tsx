import { Button, Heading, Inline, Stack, Text } from '@forge/react';
import { PHASES, WAITING_REASONS } from '@baton/core';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterChoice, CharterField, CharterMulti, LabelledSelect, Problems } from './fields.tsx';
import type { Choice, PickerOptions } from './fields.tsx';

export interface SlaGoalsFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  /** The site's fields for field conditions; undefined until read (then the field id is typed). */
  options?: PickerOptions | undefined;
}

const NEW_GOAL = { id: 'new-goal', target: '1d', warnAt: [0.75] };

/** A goal's three lists of conditions, as JSM names them, and what core assumes when a list is left out. */
const CLOCK = [
  { key: 'start', title: 'Starts when', unset: 'when the issue is created' },
  { key: 'pause', title: 'Paused while', unset: 'never paused' },
  { key: 'stop', title: 'Stops when', unset: 'when the issue reaches a done status' },
] as const;

/** What each kind of condition looks like when chosen (the admin then edits its values). */
const NEW_CONDITION: Readonly<Record<string, Record<string, unknown>>> = {
  created: { on: 'created' },
  status: { on: 'status', in: [] },
  phase: { on: 'phase', in: ['done'] },
  waiting: { on: 'waiting', reasons: ['customer'] },
  field: { on: 'field', field: 'resolution', present: true },
};
const KIND_CHOICES: Choice[] = [
  { label: 'the issue is created', value: 'created' },
  { label: 'the status is one of', value: 'status' },
  { label: 'the phase is one of', value: 'phase' },
  { label: 'it waits on', value: 'waiting' },
  { label: 'a field', value: 'field' },
];
/** A field condition's test: set, empty, or equal to a value (core's `present` / `equals`). */
const FIELD_TESTS: Choice[] = [
  { label: 'is set', value: 'set' },
  { label: 'is empty', value: 'empty' },
  { label: 'equals', value: 'equals' },
];
const fieldTestOf = (c: Record<string, unknown>): string =>
  c.equals !== undefined ? 'equals' : c.present === false ? 'empty' : 'set';

const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const toChoices = (xs: readonly string[]): Choice[] => xs.map((x) => ({ label: x, value: x }));

/**
 * Core's SLA goals as a form, as a Jira Service Management admin sets them: per goal its id, target,
 * priorities, at-risk share, and its start / pause / stop conditions — by status (among the workflow
 * map's statuses), phase, waiting reason or field (set, empty, or equal to a value). Goals and
 * conditions are added and removed here. A list left empty is left out, so core's default applies (and
 * the form says which). Validation is core's, so each problem shows under the field at its path
 * (`slaGoals.0.pause.1.in`).
 */
export function SlaGoalsForm({ draft, issues, onEdit, options }: SlaGoalsFormProps) {
  const f = { draft, issues, onEdit };
  const goals = asList(getAt(draft, ['slaGoals']));
  // A status condition names statuses of the workflow map (core refuses others): offer those.
  const statuses = Object.keys((getAt(draft, ['workflow', 'states']) as Record<string, unknown> | undefined) ?? {});
  return (
    <Stack space="space.200">
      <Heading size="small">SLA goals</Heading>
      {goals.length === 0 ? <Text>No SLA goal: no clock runs.</Text> : null}
      {goals.map((goal, i) => {
        const at: Path = ['slaGoals', i];
        return (
          <Stack key={i} space="space.100">
            <Inline space="space.200" alignBlock="end" shouldWrap>
              <CharterField {...f} label="Goal" path={[...at, 'id']} />
              <CharterField {...f} label="Target (30m, 8h, 3d; 1d = 8 business hours)" path={[...at, 'target']} />
              <CharterField {...f} label="Priorities (empty = all)" path={[...at, 'when', 'priority']} kind="list" />
              <CharterField {...f} label="At risk from (share of target)" path={[...at, 'warnAt', 0]} kind="number" />
              <Button
                onClick={() =>
                  onEdit(
                    ['slaGoals'],
                    goals.filter((_, j) => j !== i),
                  )
                }
              >{`Remove goal ${i + 1}`}</Button>
            </Inline>
            {CLOCK.map(({ key, title, unset }) => {
              const list = asList(goal[key]);
              const set = (next: readonly Record<string, unknown>[]): void =>
                onEdit([...at, key], next.length === 0 ? undefined : next);
              return (
                <Stack key={key} space="space.050">
                  <Text>{`Goal ${i + 1} ${title.toLowerCase()}${list.length === 0 ? `: ${unset}` : ' any of:'}`}</Text>
                  <Problems issues={issues} path={[...at, key]} />
                  {list.map((condition, j) => (
                    <ConditionRow
                      key={j}
                      {...f}
                      path={[...at, key, j]}
                      condition={condition}
                      statuses={statuses}
                      options={options}
                      label={`goal ${i + 1} ${key} condition ${j + 1}`}
                      onChange={(c) => set(list.map((x, k) => (k === j ? c : x)))}
                      onRemove={() => set(list.filter((_, k) => k !== j))}
                    />
                  ))}
                  <Button onClick={() => set([...list, NEW_CONDITION.status!])}>{`Add ${key} condition to goal ${
                    i + 1
                  }`}</Button>
                </Stack>
              );
            })}
          </Stack>
        );
      })}
      <Button onClick={() => onEdit(['slaGoals'], [...goals, NEW_GOAL])}>Add SLA goal</Button>
    </Stack>
  );
}

function ConditionRow({
  draft,
  issues,
  onEdit,
  path,
  condition,
  statuses,
  options,
  label,
  onChange,
  onRemove,
}: SlaGoalsFormProps & {
  path: Path;
  condition: Record<string, unknown>;
  statuses: readonly string[];
  label: string;
  onChange: (c: Record<string, unknown>) => void;
  onRemove: () => void;
}) {
  const f = { draft, issues, onEdit };
  const kind = String(condition.on ?? '');
  // Choosing another kind replaces the condition (each kind has its own keys); the same kind keeps it.
  const chooseKind = (next: string | undefined): void => {
    const fresh = next === undefined ? undefined : NEW_CONDITION[next];
    if (fresh !== undefined && next !== kind) onChange(fresh);
  };
  const test = fieldTestOf(condition);
  const chooseTest = (next: string | undefined): void => {
    if (next === undefined || next === test) return;
    const { present: _p, equals: _e, ...rest } = condition;
    onChange(next === 'equals' ? { ...rest, equals: '' } : { ...rest, present: next === 'set' });
  };
  const fieldChoices = options?.fields.map((x) => ({ label: `${x.name} (${x.id})`, value: x.id }));
  const name = `${label[0]!.toUpperCase()}${label.slice(1)}`;
  return (
    <Stack space="space.050">
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <Choose label={name} id={pathKey([...path, 'on'])} options={KIND_CHOICES} value={kind} onChange={chooseKind} />
        {kind === 'status' ? (
          <CharterMulti {...f} label="Statuses" path={[...path, 'in']} options={toChoices(statuses)} />
        ) : kind === 'phase' ? (
          <CharterMulti {...f} label="Phases" path={[...path, 'in']} options={toChoices(PHASES)} />
        ) : kind === 'waiting' ? (
          <CharterMulti {...f} label="Waiting on" path={[...path, 'reasons']} options={toChoices(WAITING_REASONS)} />
        ) : kind === 'field' ? (
          <>
            {fieldChoices === undefined ? (
              <CharterField {...f} label="Field id (resolution, assignee, customfield_…)" path={[...path, 'field']} />
            ) : (
              <CharterChoice {...f} label="Field" path={[...path, 'field']} options={fieldChoices} />
            )}
            <Choose
              label="Test"
              id={pathKey([...path, 'test'])}
              options={FIELD_TESTS}
              value={test}
              onChange={chooseTest}
            />
            {condition.equals === undefined ? null : <CharterField {...f} label="Value" path={[...path, 'equals']} />}
          </>
        ) : null}
        <Button onClick={onRemove}>{`Remove ${label}`}</Button>
      </Inline>
      <Problems issues={issues} path={path} />
    </Stack>
  );
}

/** A choice that is not a value of the charter itself (it reshapes the condition): UI Kit's Select, labelled. */
function Choose({
  label,
  id,
  options,
  value,
  onChange,
}: {
  label: string;
  id: string;
  options: readonly Choice[];
  value: string;
  onChange: (value: string | undefined) => void;
}) {
  const selected = options.find((o) => o.value === value) ?? { label: `${value} (not known here)`, value };
  return (
    <LabelledSelect
      label={label}
      id={id}
      value={selected}
      options={[...options]}
      onChange={(o: Choice | null) => onChange(o?.value)}
    />
  );
}
