import { Button, SectionMessage, Stack, Text } from '@forge/react';
import { useState } from 'react';
import { useResolver } from '../use-resolver.ts';

/**
 * Whether the fields the charter in force writes (due date, priority, labels, components) are on the
 * edit screens of the projects' issue types: Jira refuses a write to a field off the screen, so an
 * admin sees it here before the first decision fails. `refresh` re-checks (e.g. after a save).
 */
export function FieldWritesCheck({ scope, refresh = 0 }: { scope: string; refresh?: number }) {
  const [again, setAgain] = useState(0);
  const r = useResolver('checkFieldWrites', { scope }, refresh + again);
  if (r.status === 'loading') return <Text>Checking the edit screens for the fields Baton writes…</Text>;
  if (r.status === 'error') {
    return (
      <SectionMessage appearance="warning" title="The edit screens could not be checked">
        <Text>{r.message}</Text>
      </SectionMessage>
    );
  }
  const { projects, problems } = r.data;
  const writing = projects.filter((p) => p.writes.length > 0);
  const unchecked = projects.filter((p) => p.unchecked !== undefined);
  const checkAgain = <Button onClick={() => setAgain((n) => n + 1)}>Check the edit screens again</Button>;
  if (writing.length === 0) {
    return (
      <Stack space="space.100">
        <Text>
          {projects.length === 0
            ? 'No project in scope: nothing to check on the edit screens.'
            : 'The charter in force writes no fields (the Set fields dial is off, or no SLA goal, classify rule or raise-priority step asks for one).'}
        </Text>
      </Stack>
    );
  }
  return (
    <Stack space="space.100">
      {problems.length === 0 ? (
        <SectionMessage appearance="success" title="All fields Baton writes are on the edit screens">
          {writing.map((p) => (
            <Text
              key={p.projectKey}
            >{`${p.projectKey}: ${p.writes.map((w) => w.name).join(', ')} checked on ${p.checked.map((c) => `${c.issueType} (${c.issueKey})`).join(', ') || 'no issue type'}.`}</Text>
          ))}
        </SectionMessage>
      ) : (
        <SectionMessage
          appearance="warning"
          title={`${problems.length} field${problems.length === 1 ? '' : 's'} Baton writes ${problems.length === 1 ? 'is' : 'are'} not on an edit screen`}
        >
          {problems.map((p) => (
            <Text key={`${p.projectKey}/${p.issueType}/${p.field}`}>{p.fix}</Text>
          ))}
        </SectionMessage>
      )}
      {unchecked.length === 0 ? null : (
        <SectionMessage appearance="information" title="Not checked">
          {unchecked.map((p) => (
            <Text key={p.projectKey}>{p.unchecked}</Text>
          ))}
        </SectionMessage>
      )}
      {checkAgain}
    </Stack>
  );
}
