import { DynamicTable, Select, Text } from '@forge/react';
import { PHASES } from '@baton/core';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import { getAt } from './charter-draft.ts';
import type { Draft, Path } from './charter-draft.ts';

type Status = ContractOutput<'getCharter'>['statuses'][number];

/**
 * The workflow map: every status of the project (or the site) with its Jira category and the phase
 * the agent reads it as. Pre-filled from the charter, else from the category and the status name.
 */
export function WorkflowMap({ draft, statuses, onEdit }: { draft: Draft; statuses: readonly Status[]; onEdit: (path: Path, value: unknown) => void }) {
  if (statuses.length === 0) return <Text>No statuses found.</Text>;
  return (
    <DynamicTable
      caption="Workflow map"
      head={{ cells: [{ key: 'status', content: 'Status' }, { key: 'category', content: 'Jira category' }, { key: 'phase', content: 'Phase for Baton' }] }}
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
          ],
        };
      })}
    />
  );
}
