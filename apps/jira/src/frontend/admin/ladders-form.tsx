import { Button, Heading, Inline, Label, Select, Stack, Text } from '@forge/react';
import { STEP_KINDS } from '@baton/core';
import { DEFAULT_STEP_MESSAGE } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterChoice, CharterField, CharterSelect, CharterUser, Problems, choicesByName } from './fields.tsx';
import type { PickerOptions } from './fields.tsx';

export interface LaddersFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  /** The site's priorities for raise-priority steps; undefined until read (then typed). */
  options?: PickerOptions | undefined;
}

/** How the form names a step's threshold (the key it has in the charter). */
const THRESHOLDS = { 'share of an SLA goal consumed': 'slaConsumed', 'idle business time': 'idle' } as const;
type ThresholdLabel = keyof typeof THRESHOLDS;
const NEW_STEP = { idle: '2d', do: 'nudge-owner', message: DEFAULT_STEP_MESSAGE };

const asList = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/**
 * Core's escalation ladders as a form: per ladder its id, the SLA goal its shares are of, and its
 * steps (threshold, action, target, priority for raise-priority, message); ladders and steps are
 * added and removed here. Validation is core's `parseCharter`, so every problem shows under the
 * field at its path (`escalation.ladders.0.steps.1.priority`).
 */
export function LaddersForm({ draft, issues, onEdit, options }: LaddersFormProps) {
  const f = { draft, issues, onEdit };
  const ladders = asList(getAt(draft, ['escalation', 'ladders']));
  const setLadders = (next: unknown[]): void => onEdit(['escalation', 'ladders'], next);
  // A ladder's goal is one of the charter's SLA goals, as the draft names them now.
  const goals = asList(getAt(draft, ['slaGoals'])).flatMap((g) =>
    typeof g.id === 'string' && g.id !== '' ? [{ label: g.id, value: g.id }] : [],
  );
  return (
    <Stack space="space.200">
      <Heading size="small">Escalation ladders</Heading>
      <Text>
        Each ladder takes its highest step crossed: at a share of an SLA goal consumed (1 = the breach), or after idle
        business time in a status.
      </Text>
      {ladders.length === 0 ? <Text>No escalation ladder.</Text> : null}
      {ladders.map((ladder, i) => {
        const at: Path = ['escalation', 'ladders', i];
        const steps = asList(ladder.steps);
        return (
          <Stack key={i} space="space.100">
            <Inline space="space.200" alignBlock="end" shouldWrap>
              <CharterField {...f} label={`Ladder ${i + 1}`} path={[...at, 'id']} />
              <CharterChoice
                {...f}
                label="SLA goal (for shares)"
                path={[...at, 'goal']}
                options={goals}
                empty={{ label: 'none (idle steps only)', value: undefined }}
                unknownNote="not an SLA goal of this charter"
              />
              <Button onClick={() => setLadders(ladders.filter((_, j) => j !== i))}>{`Remove ladder ${i + 1}`}</Button>
            </Inline>
            <Problems issues={issues} path={[...at, 'steps']} />
            {steps.map((step, j) => (
              <StepRow
                key={j}
                {...f}
                options={options}
                path={[...at, 'steps', j]}
                step={step}
                label={`Ladder ${i + 1} step ${j + 1}`}
                onRemove={() =>
                  onEdit(
                    [...at, 'steps'],
                    steps.filter((_, k) => k !== j),
                  )
                }
              />
            ))}
            <Button
              onClick={() => onEdit([...at, 'steps'], [...steps, NEW_STEP])}
            >{`Add step to ladder ${i + 1}`}</Button>
          </Stack>
        );
      })}
      <Button onClick={() => setLadders([...ladders, { id: `ladder-${ladders.length + 1}`, steps: [NEW_STEP] }])}>
        Add escalation ladder
      </Button>
    </Stack>
  );
}

function StepRow({
  draft,
  issues,
  onEdit,
  options,
  path,
  step,
  label,
  onRemove,
}: LaddersFormProps & { path: Path; step: Record<string, unknown>; label: string; onRemove: () => void }) {
  const f = { draft, issues, onEdit };
  const kind: ThresholdLabel = step.slaConsumed !== undefined ? 'share of an SLA goal consumed' : 'idle business time';
  const key = THRESHOLDS[kind];
  // Switching the threshold moves the step to the other key (a step has exactly one).
  const chooseThreshold = (next: unknown): void => {
    const to = THRESHOLDS[next as ThresholdLabel];
    if (to === undefined || to === key) return;
    const { slaConsumed: _s, idle: _i, ...rest } = step;
    onEdit(path, { ...rest, ...(to === 'idle' ? { idle: '2d' } : { slaConsumed: 0.75 }) });
  };
  const showPriority = step.do === 'raise-priority' || step.priority !== undefined;
  const thresholdId = pathKey([...path, 'threshold']);
  return (
    <Stack space="space.050">
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <Stack space="space.050">
          <Label labelFor={thresholdId}>{`${label}: threshold`}</Label>
          <Select
            inputId={thresholdId}
            name={thresholdId}
            value={{ label: kind, value: kind }}
            options={Object.keys(THRESHOLDS).map((o) => ({ label: o, value: o }))}
            onChange={(o: { value: string } | null) => chooseThreshold(o?.value)}
          />
        </Stack>
        <CharterField
          {...f}
          label={key === 'idle' ? 'Idle for (30m, 8h, 2d)' : 'Share consumed (0.75 = 75 %)'}
          path={[...path, key]}
          kind={key === 'idle' ? 'text' : 'number'}
        />
        <CharterSelect {...f} label="Action" path={[...path, 'do']} options={STEP_KINDS} />
        <CharterUser
          {...f}
          label="To (nobody: the owner, or the team's lead)"
          path={[...path, 'target']}
          clearLabel={`Clear ${label.toLowerCase()} target`}
          empty={undefined}
        />
        {!showPriority ? null : options !== undefined && options.priorities.length > 0 ? (
          <CharterChoice
            {...f}
            label="Raise to priority"
            path={[...path, 'priority']}
            options={choicesByName(options.priorities)}
            empty={{ label: 'none', value: undefined }}
          />
        ) : (
          <CharterField {...f} label="Raise to priority" path={[...path, 'priority']} kind="optional" />
        )}
        <Button onClick={onRemove}>{`Remove ${label.toLowerCase()}`}</Button>
      </Inline>
      <CharterField
        {...f}
        label="Message ({case} {title} {state} {owner} {idle} {goal} {remaining} …)"
        path={[...path, 'message']}
      />
      <Problems issues={issues} path={path} />
    </Stack>
  );
}
