import { Button, Heading, Inline, SectionMessage, Stack, Text, useProductContext } from '@forge/react';
import { useState } from 'react';
import { callResolver, useResolver } from './use-resolver.ts';
import { SlaBadge } from './sla-badge.tsx';

/** The issue panel: SLA clocks, pending suggestions with Accept / Override, the issue's audit trail. */
export function IssuePanel() {
  const context = useProductContext() as { extension?: { issue?: { key?: string } } } | undefined;
  const issueKey = context?.extension?.issue?.key;
  const [version, setVersion] = useState(0);
  const view = useResolver('getIssueView', issueKey === undefined ? undefined : { issueKey }, version);
  const [message, setMessage] = useState<string | null>(null);
  if (view.status === 'loading') return <Text>Loading Baton…</Text>;
  if (view.status === 'error') return <SectionMessage appearance="error"><Text>{view.message}</Text></SectionMessage>;
  const { state, audit, inScope } = view.data;
  if (!inScope) return <Text>Baton is not switched on for this project.</Text>;
  const answer = async (suggestionKey: string, verdict: 'accept' | 'override') => {
    const r = await callResolver('answerSuggestion', {
      issueKey: issueKey as string,
      suggestionKey,
      verdict,
      ...(verdict === 'override' ? { reason: { code: 'other' as const, text: 'overridden from the panel' } } : {}),
    });
    setMessage(r.status === 'ok' ? `Suggestion ${r.data.outcome}.` : r.status === 'error' ? r.message : null);
    setVersion((v) => v + 1);
  };
  return (
    <Stack space="space.200">
      {message === null ? null : <SectionMessage appearance="information"><Text>{message}</Text></SectionMessage>}
      <Heading size="small">SLA</Heading>
      {(state?.sla ?? []).length === 0 ? <Text>No SLA goal applies.</Text> : state?.sla.map((c) => <SlaBadge key={c.goal} clock={c} />)}
      <Heading size="small">Suggestions</Heading>
      {(state?.suggestions ?? []).length === 0 ? <Text>Nothing pending.</Text> : null}
      {state?.suggestions.map((s) => (
        <Stack key={s.key} space="space.050">
          <Text>{`${s.summary} — ${s.reason}`}</Text>
          <Inline space="space.100">
            <Button appearance="primary" onClick={() => void answer(s.key, 'accept')}>Accept</Button>
            <Button onClick={() => void answer(s.key, 'override')}>Override</Button>
          </Inline>
        </Stack>
      ))}
      <Heading size="small">Audit trail</Heading>
      {audit.length === 0 ? <Text>No decisions yet.</Text> : audit.map((e) => <Text key={e.id}>{`${new Date(e.at).toISOString().slice(0, 16)} ${e.kind} ${e.outcome}: ${e.reason}`}</Text>)}
    </Stack>
  );
}
