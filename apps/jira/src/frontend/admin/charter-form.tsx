import { Heading, Inline, Label, Stack, Text, Textfield, Toggle } from '@forge/react';
import { AUTONOMY_LEVELS, HANDOFF_CHANNELS } from '@baton/core';
import { AUTONOMY_KINDS, KIND_LABELS } from '../../contracts/charter.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, listFromText } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import { CharterField, CharterSelect, Problems } from './fields.tsx';
import type { PickerOptions } from './fields.tsx';
import { ClassifyForm } from './classify-form.tsx';
import { LaddersForm } from './ladders-form.tsx';
import { SlaGoalsForm } from './sla-goals-form.tsx';

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

const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const CAL: Path = ['calendars', 'default'];

/**
 * Core's charter as a form: scope, the autonomy dials (per action kind the app carries out, and the
 * default), confidence, the default calendar (IANA time zone, weekly hours, holidays), SLA goals with
 * their start / pause / stop conditions (`sla-goals-form.tsx`), the
 * stall norm, caps and quiet hours, how the handoff packet is delivered, routing candidates, classify rules, escalation ladders. Each field
 * shows the problems at its path (core's paths: `calendars.default.timeZone`, `slaGoals.0.target`).
 */
export function CharterForm({ draft, issues, onEdit, showProjects, options, model }: CharterFormProps) {
  const f = { draft, issues, onEdit };
  const quiet = getAt(draft, ['caps', 'quietHours']);
  return (
    <Stack space="space.200">
      {showProjects ? (
        <CharterField
          {...f}
          label="Projects in scope (keys, comma-separated)"
          path={['scope', 'projects']}
          kind="list"
        />
      ) : null}
      <Heading size="small">Autonomy per action</Heading>
      <Text>
        off: never · assist: suggest, a person decides · automate: act and log · enforce: act and keep enforcing
      </Text>
      <Inline space="space.200" shouldWrap>
        <CharterSelect {...f} label="Any other action" path={['autonomy', 'default']} options={AUTONOMY_LEVELS} />
        {AUTONOMY_KINDS.map((k) => (
          <CharterSelect
            key={k}
            {...f}
            label={KIND_LABELS[k]}
            path={['autonomy', 'kinds', k]}
            options={AUTONOMY_LEVELS}
            fallback={String(getAt(draft, ['autonomy', 'default']) ?? 'assist')}
          />
        ))}
      </Inline>
      <CharterField
        {...f}
        label="Act only at confidence of at least (0–1)"
        path={['confidence', 'act']}
        kind="number"
      />
      <Heading size="small">Business calendar</Heading>
      <CharterField {...f} label="Time zone (IANA, e.g. Europe/Berlin)" path={[...CAL, 'timeZone']} />
      <Inline space="space.200" shouldWrap>
        {WEEK.map((d) => (
          <CharterField
            key={d}
            {...f}
            label={`${d} (09:00-17:00; empty: closed)`}
            path={[...CAL, 'week', d]}
            kind="hours"
          />
        ))}
      </Inline>
      <CharterField {...f} label="Holidays (YYYY-MM-DD, comma-separated)" path={[...CAL, 'holidays']} kind="list" />
      <Problems issues={issues} path={[...CAL, 'week']} />
      <SlaGoalsForm {...f} options={options} />
      <Heading size="small">Watchdog, caps and quiet hours</Heading>
      <Inline space="space.200" shouldWrap>
        <CharterField
          {...f}
          label="Stalled after (e.g. 2d) in a status with no norm"
          path={['workflow', 'norm']}
          kind="optional"
        />
        <CharterField {...f} label="Nudges per issue per day" path={['caps', 'maxNudgesPerCasePerDay']} kind="number" />
      </Inline>
      <Toggle
        id="caps.quietHours"
        label="Quiet hours"
        isChecked={quiet !== null && quiet !== undefined}
        onChange={() =>
          onEdit(['caps', 'quietHours'], quiet === null || quiet === undefined ? { from: '20:00', to: '07:00' } : null)
        }
      />
      <Text>
        {quiet === null || quiet === undefined
          ? 'No quiet hours: nudges may go out at any time of the business day.'
          : 'No nudges between (local time of the calendar):'}
      </Text>
      {quiet === null || quiet === undefined ? null : (
        <Inline space="space.200">
          <CharterField {...f} label="Quiet from" path={['caps', 'quietHours', 'from']} />
          <CharterField {...f} label="Quiet until" path={['caps', 'quietHours', 'to']} />
        </Inline>
      )}
      <Heading size="small">Handoff packet</Heading>
      <Text>
        comment: an internal comment that mentions the new owner (under the comment dial) · email: Jira&apos;s
        notification email to them alone, nothing on the issue (under the nudge dial; it counts as no nudge)
      </Text>
      <CharterSelect
        {...f}
        label="The new owner receives the packet by"
        path={['handoff', 'by']}
        options={HANDOFF_CHANNELS}
        fallback="comment"
      />
      <CandidatesField {...f} />
      <ClassifyForm {...f} options={options} model={model} />
      <LaddersForm {...f} options={options} />
    </Stack>
  );
}

const CANDIDATES = 'candidates';

/**
 * The people the router picks from: the members of the team `candidates`, with an ownership rule that
 * sends every unowned issue to it (least open work first). Empty: the team and its rule are removed,
 * and the router picks among the project's assignable people. Other teams are edited in the YAML.
 */
function CandidatesField({ draft, issues, onEdit }: Omit<CharterFormProps, 'showProjects'>) {
  const teams =
    (getAt(draft, ['routing', 'teams']) as { id?: unknown; members?: { id?: unknown }[] }[] | undefined) ?? [];
  const ownership = (getAt(draft, ['routing', 'ownership']) as { team?: unknown }[] | undefined) ?? [];
  const team = teams.find((t) => t.id === CANDIDATES);
  const shown = (team?.members ?? []).map((m) => String(m.id ?? '')).join(', ');
  const set = (text: string) => {
    const ids = listFromText(text);
    const others = teams.filter((t) => t.id !== CANDIDATES);
    const rules = ownership.filter((r) => r.team !== CANDIDATES);
    onEdit(
      ['routing', 'teams'],
      ids.length === 0 ? others : [...others, { ...team, id: CANDIDATES, members: ids.map((id) => ({ id })) }],
    );
    onEdit(['routing', 'ownership'], ids.length === 0 ? rules : [...rules, { id: 'least-loaded', team: CANDIDATES }]);
  };
  const id = 'routing.candidates';
  return (
    <Stack space="space.050">
      <Label labelFor={id}>Routing candidates (account ids, comma-separated)</Label>
      <Textfield id={id} name={id} value={shown} onChange={(e) => set(String(e.target.value ?? ''))} />
      <Problems issues={issues} path={['routing', 'teams']} />
    </Stack>
  );
}
