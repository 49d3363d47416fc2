import { Heading, SectionMessage, Stack, Text } from '@forge/react';
import { useResolver } from '../use-resolver.ts';
import { TrustScore } from './audit-log-panel.tsx';

/** The daily operational report: what changed in 24 hours, what is at risk, who must act next. */
export function DailyReportPanel({ projectKey }: { projectKey: string }) {
  const report = useResolver('getDailyReport', { projectKey });
  if (report.status === 'loading') return <Text>Loading the report…</Text>;
  if (report.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{report.message}</Text>
      </SectionMessage>
    );
  const r = report.data;
  return (
    <Stack space="space.150">
      <Text>{`${r.projectKey}, ${new Date(r.generatedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`}</Text>
      <Heading size="small">What changed (24 h)</Heading>
      {r.changed.length === 0 ? (
        <Text>Nothing.</Text>
      ) : (
        r.changed.map((c, i) => <Text key={i}>{`${c.issueKey} — ${c.what}`}</Text>)
      )}
      <Heading size="small">At risk</Heading>
      {r.atRisk.length === 0 ? (
        <Text>No clock at risk.</Text>
      ) : (
        r.atRisk.map((c, i) => <Text key={i}>{`${c.issueKey} — ${c.goal} ${c.state}`}</Text>)
      )}
      <Heading size="small">Who must act next</Heading>
      {r.mustActNext.length === 0 ? (
        <Text>Nobody is waited on.</Text>
      ) : (
        r.mustActNext.map((c, i) => <Text key={i}>{`${c.issueKey} — ${c.who}: ${c.why}`}</Text>)
      )}
      <TrustScore trust={r.trust} />
    </Stack>
  );
}
