import ForgeReconciler, { Stack, Text, useProductContext } from '@forge/react';
import { useResolver } from './use-resolver.ts';
import { SlaBadge } from './sla-badge.tsx';

/** The compact SLA badge in the issue's context panel. */
function IssueContext() {
  const context = useProductContext() as { extension?: { issue?: { key?: string } } } | undefined;
  const issueKey = context?.extension?.issue?.key;
  const view = useResolver('getIssueView', issueKey === undefined ? undefined : { issueKey });
  if (view.status !== 'ok') return <Text>{view.status === 'loading' ? '…' : view.message}</Text>;
  const clocks = view.data.state?.sla ?? [];
  return (
    <Stack space="space.050">
      {clocks.length === 0 ? <Text>No SLA</Text> : clocks.map((c) => <SlaBadge key={c.goal} clock={c} />)}
    </Stack>
  );
}

ForgeReconciler.render(<IssueContext />);
