import { DynamicTable, ErrorMessage, Select, Stack, Text, Textfield } from '@forge/react';
import { PHASES } from '@baton/core';
import { READY_FIELDS, READY_OTHER } from '../../contracts/charter.ts';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import type { PathIssue } from '../use-resolver.ts';
import { getAt, listFromText, pathKey } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';

type Status = ContractOutput<'getCharter'>['statuses'][number];

/**
 * The workflow map: every status of the project (or the site) with its Jira category and the phase
 * the agent reads it as. Pre-filled from the charter, else from the category and the status name.
 * Per status, the artifacts required to leave it (the clerk's definition of ready), as a list of
 * field ids; a problem with one of them is shown in its row (`item 2: unknown field …`).
 */
export function WorkflowMap({ draft, statuses, issues, onEdit }: { draft: Draft; statuses: readonly Status[]; issues: readonly PathIssue[]; onEdit: (path: Path, value: unknown) => void }) {
  if (statuses.length === 0) return <Text>No statuses found.</Text>;
  return (
    <Stack space="space.100">
      <Text>{`Required to leave: a comma-separated list of ${READY_FIELDS.join(', ')}, custom field ids (customfield_10010), ${READY_OTHER.join(' or ')}. Left empty: the default checklist (owner assigned, priority set).`}</Text>
      <DynamicTable
      caption="Workflow map"
      head={{ cells: [{ key: 'status', content: 'Status' }, { key: 'category', content: 'Jira category' }, { key: 'phase', content: 'Phase for Baton' }, { key: 'ready', content: 'Required to leave' }] }}
      rows={statuses.map((s) => {
        const phase = String(getAt(draft, ['workflow', s.name, 'phase']) ?? s.phase);
        const id = `workflow.${s.name}.phase`;
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
                  onChange={(o: { value: string } | null) => onEdit(['workflow', s.name], { ...(getAt(draft, ['workflow', s.name]) as object | undefined), phase: o?.value })}
                />
              ),
            },
            { key: 'ready', content: <ReadyCell draft={draft} status={s.name} issues={issues} onEdit={onEdit} /> },
          ],
        };
      })}
      />
    </Stack>
  );
}

function ReadyCell({ draft, status, issues, onEdit }: { draft: Draft; status: string; issues: readonly PathIssue[]; onEdit: (path: Path, value: unknown) => void }) {
  const path: Path = ['workflow', status, 'ready'];
  const id = pathKey(path);
  const value = getAt(draft, path);
  const problems = issues.filter((i) => pathKey(i.path.slice(0, 3)) === id).map((i) => (typeof i.path[3] === 'number' ? `item ${i.path[3] + 1}: ${i.message}` : i.message));
  return (
    <Stack space="space.050">
      <Textfield
        id={id}
        name={id}
        value={Array.isArray(value) ? value.join(', ') : ''}
        isInvalid={problems.length > 0}
        onChange={(e) => {
          const list = listFromText(String(e.target.value ?? ''));
          onEdit(path, list.length === 0 ? undefined : list);
        }}
      />
      {problems.map((m) => <ErrorMessage key={m}>{m}</ErrorMessage>)}
    </Stack>
  );
}
