import { DynamicTable, ErrorMessage, Select, Stack, Text, Textfield, UserPicker } from '@forge/react';
import { PHASES } from '@baton/core';
import type { ReadinessRequirement } from '@baton/core';
import { READY_FIELDS } from '../../contracts/charter.ts';
import { requirementsOf, tokenOf } from '../../contracts/ready-requirements.ts';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, listFromText, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';
import type { Choice, PickerOptions } from './fields.tsx';

type Status = ContractOutput<'getCharter'>['statuses'][number];

/**
 * The workflow map: every status of the project (or the site) with its Jira category and the phase
 * the agent reads it as. Pre-filled from the charter, else from the category and the status name.
 * Per status, the artifacts required to leave it (the clerk's definition of ready), as a list of
 * field ids, chosen among the site's fields by name (typed while they have not been read); a problem with one of
 * them is shown in its row (`item 2: unknown field …`).
 */
export function WorkflowMap({
  draft,
  statuses,
  issues,
  onEdit,
  fields,
}: {
  draft: Draft;
  statuses: readonly Status[];
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  fields?: PickerOptions['fields'] | undefined;
}) {
  if (statuses.length === 0) return <Text>No statuses found.</Text>;
  const choices = fields === undefined ? undefined : readyChoices(fields);
  return (
    <Stack space="space.100">
      <Text>
        {choices === undefined
          ? `Required to leave: a comma-separated list of ${READY_FIELDS.join(', ')}, custom field ids (customfield_10010), link, attachment or approval. Left empty: the default checklist (owner assigned, priority set).`
          : "Required to leave: the fields (the site's, by name), a link, an attachment or an approval that must be there before an issue leaves the status. Left empty: the default checklist (owner assigned, priority set)."}
      </Text>
      <DynamicTable
        caption="Workflow map"
        head={{
          cells: [
            { key: 'status', content: 'Status' },
            { key: 'category', content: 'Jira category' },
            { key: 'phase', content: 'Phase for Baton' },
            { key: 'ready', content: 'Required to leave' },
          ],
        }}
        rows={statuses.map((s) => {
          const phase = String(getAt(draft, ['workflow', 'states', s.name, 'phase']) ?? s.phase);
          const id = `workflow.states.${s.name}.phase`;
          return {
            key: s.name,
            cells: [
              { key: 'status', content: s.name },
              { key: 'category', content: s.category },
              {
                key: 'phase',
                content: (
                  <Select
                    inputId={id}
                    name={id}
                    value={{ label: phase, value: phase }}
                    options={PHASES.map((p) => ({ label: p, value: p }))}
                    onChange={(o: { value: string } | null) =>
                      onEdit(['workflow', 'states', s.name], {
                        ...(getAt(draft, ['workflow', 'states', s.name]) as object | undefined),
                        phase: o?.value,
                      })
                    }
                  />
                ),
              },
              {
                key: 'ready',
                content: <ReadyCell draft={draft} status={s.name} issues={issues} onEdit={onEdit} choices={choices} />,
              },
            ],
          };
        })}
      />
    </Stack>
  );
}

/** What a definition of ready may name: the site's fields a checklist can read (by name), then link, attachment, approval. */
function readyChoices(fields: PickerOptions['fields']): Choice[] {
  const system: ReadonlySet<string> = new Set(READY_FIELDS);
  const site = fields
    .filter((f) => system.has(f.id) || /^customfield_\d+$/.test(f.id))
    .map((f) => ({ label: f.custom ? `${f.name} (${f.id})` : f.name, value: f.id }));
  return [
    ...site,
    { label: 'A linked issue or URL', value: 'link' },
    { label: 'An attachment', value: 'attachment' },
    { label: 'An approval (by anyone but the owner and the app)', value: 'approval' },
  ];
}

/** An item as the picker shows it: by name when the site has it, `approval:<id>` as an approval by that account, else as stored. */
function choiceOf(item: string, choices: readonly Choice[]): Choice {
  const known = choices.find((c) => c.value === item);
  if (known !== undefined) return known;
  if (item.startsWith('approval:')) return { label: `An approval by ${item.slice('approval:'.length)}`, value: item };
  return { label: `${item} (not found in Jira)`, value: item };
}

function ReadyCell({
  draft,
  status,
  issues,
  onEdit,
  choices,
}: {
  draft: Draft;
  status: string;
  issues: readonly PathIssue[];
  onEdit: (path: Path, value: unknown) => void;
  choices: readonly Choice[] | undefined;
}) {
  // Core's requirements ({ kind: 'field', field: 'duedate' }) shown and edited as the picker's items ('duedate').
  const path: Path = ['workflow', 'states', status, 'ready'];
  const id = pathKey(path);
  const value = getAt(draft, path);
  const problems = issues
    .filter((i) => pathKey(i.path.slice(0, 4)) === id)
    .map((i) => (typeof i.path[4] === 'number' ? `item ${i.path[4] + 1}: ${i.message}` : i.message));
  const items = Array.isArray(value) ? (value as ReadinessRequirement[]).map(tokenOf) : [];
  const set = (next: readonly string[]): void => onEdit(path, next.length === 0 ? undefined : requirementsOf(next));
  if (choices !== undefined) {
    const selected = items.map((v) => choiceOf(v, choices));
    return (
      <Stack space="space.050">
        <Select
          inputId={id}
          name={id}
          isMulti
          value={selected}
          options={[...choices, ...selected.filter((c) => !choices.some((o) => o.value === c.value))]}
          isInvalid={problems.length > 0}
          onChange={(list: readonly Choice[] | null) => set((list ?? []).map((c) => c.value))}
        />
        {/* A named approval: the person is picked, the item stored as approval:<accountId>. */}
        <UserPicker
          key={items.length}
          label="Require an approval by"
          name={`${id}.approver`}
          placeholder="Search people"
          onChange={(u: { id?: string } | null | undefined) =>
            u?.id && !items.includes(`approval:${u.id}`) && set([...items, `approval:${u.id}`])
          }
        />
        {problems.map((m) => (
          <ErrorMessage key={m}>{m}</ErrorMessage>
        ))}
      </Stack>
    );
  }
  return (
    <Stack space="space.050">
      <Textfield
        id={id}
        name={id}
        value={items.join(', ')}
        isInvalid={problems.length > 0}
        onChange={(e) => set(listFromText(String(e.target.value ?? '')))}
      />
      {problems.map((m) => (
        <ErrorMessage key={m}>{m}</ErrorMessage>
      ))}
    </Stack>
  );
}
