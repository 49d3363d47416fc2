import { Button, Heading, Inline, Stack, Text, Toggle } from '@forge/react';
import { AUTONOMY, AUTONOMY_DIALS, DIAL_LABELS } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterField, CharterSelect } from './fields.tsx';
import type { PickerOptions } from './fields.tsx';
import { ClassifyForm } from './classify-form.tsx';
import { LaddersForm } from './ladders-form.tsx';

export interface CharterFormProps {
  draft: Draft;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  /** The site charter lists the projects in scope; a project's own charter does not. */
  showProjects: boolean;
  /** What the pickers offer (priorities, components, fields); undefined until read. */
  options?: PickerOptions | undefined;
  /** The site's model (Model tab): its name, null for none, undefined when the page cannot tell. */
  model?: string | null | undefined;
}

const NEW_GOAL = { name: 'new goal', priorities: [], target: '1d', atRiskAt: 0.75 };

/**
 * The charter as a form: scope, the autonomy dials (per action kind, and field writes), confidence, calendar, SLA goals,
 * watchdog, caps and quiet hours, routing candidates, classify rules, escalation ladders. Each field shows the problems at its path.
 */
export function CharterForm({ draft, issues, onEdit, showProjects, options, model }: CharterFormProps) {
  const f = { draft, issues, onEdit };
  const goals = (getAt(draft, ['slaGoals']) as unknown[] | undefined) ?? [];
  const quiet = getAt(draft, ['caps', 'quietHours']);
  return (
    <Stack space="space.200">
      {showProjects ? (
        <CharterField {...f} label="Projects in scope (keys, comma-separated)" path={['projects']} kind="list" />
      ) : null}
      <Heading size="small">Autonomy per action</Heading>
      <Text>
        off: never · assist: suggest, a person decides · automate: act and log · enforce: act and keep enforcing
      </Text>
      <Inline space="space.200" shouldWrap>
        {AUTONOMY_DIALS.map((k) => (
          <CharterSelect key={k} {...f} label={DIAL_LABELS[k]} path={['autonomy', k]} options={AUTONOMY} />
        ))}
      </Inline>
      <CharterField
        {...f}
        label="Act only at confidence of at least (0–1)"
        path={['minConfidenceToAct']}
        kind="number"
      />
      <Heading size="small">Business calendar</Heading>
      <Inline space="space.200" shouldWrap>
        <CharterField {...f} label="Workdays (0 = Sunday)" path={['calendar', 'workdays']} kind="numbers" />
        <CharterField {...f} label="Day starts" path={['calendar', 'start']} />
        <CharterField {...f} label="Day ends" path={['calendar', 'end']} />
        <CharterField {...f} label="UTC offset (minutes)" path={['calendar', 'utcOffsetMinutes']} kind="number" />
      </Inline>
      <Heading size="small">SLA goals</Heading>
      {goals.length === 0 ? <Text>No SLA goal: no clock runs.</Text> : null}
      {goals.map((_, i) => (
        <Inline key={i} space="space.200" alignBlock="end" shouldWrap>
          <CharterField {...f} label="Goal" path={['slaGoals', i, 'name']} />
          <CharterField {...f} label="Target (30m, 8h, 3d)" path={['slaGoals', i, 'target']} />
          <CharterField {...f} label="Priorities (empty = all)" path={['slaGoals', i, 'priorities']} kind="list" />
          <CharterField
            {...f}
            label="At risk from (share of target)"
            path={['slaGoals', i, 'atRiskAt']}
            kind="number"
          />
          <Button
            onClick={() =>
              onEdit(
                ['slaGoals'],
                goals.filter((__, j) => j !== i),
              )
            }
          >{`Remove goal ${i + 1}`}</Button>
        </Inline>
      ))}
      <Button onClick={() => onEdit(['slaGoals'], [...goals, NEW_GOAL])}>Add SLA goal</Button>
      <Heading size="small">Watchdog, caps and quiet hours</Heading>
      <Inline space="space.200" shouldWrap>
        <CharterField {...f} label="Stale after (e.g. 2d)" path={['watchdog', 'staleAfter']} />
        <CharterField {...f} label="Nudges per issue per day" path={['caps', 'nudgesPerIssuePerDay']} kind="number" />
      </Inline>
      <Toggle
        id="caps.quietHours"
        label="Quiet hours"
        isChecked={quiet !== null && quiet !== undefined}
        onChange={() =>
          onEdit(
            ['caps', 'quietHours'],
            quiet === null || quiet === undefined ? { start: '20:00', end: '07:00' } : null,
          )
        }
      />
      <Text>
        {quiet === null || quiet === undefined
          ? 'No quiet hours: nudges may go out at any time of the business day.'
          : 'No nudges between:'}
      </Text>
      {quiet === null || quiet === undefined ? null : (
        <Inline space="space.200">
          <CharterField {...f} label="Quiet from" path={['caps', 'quietHours', 'start']} />
          <CharterField {...f} label="Quiet until" path={['caps', 'quietHours', 'end']} />
        </Inline>
      )}
      <CharterField
        {...f}
        label="Routing candidates (account ids, comma-separated)"
        path={['routing', 'candidates']}
        kind="list"
      />
      <ClassifyForm {...f} options={options} model={model} />
      <LaddersForm {...f} options={options} />
    </Stack>
  );
}
