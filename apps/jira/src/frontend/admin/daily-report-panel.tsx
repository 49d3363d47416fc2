import { Heading, SectionMessage, Stack, Text } from '@forge/react';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import { useResolver } from '../use-resolver.ts';

type View = ContractOutput<'getDailyReport'>;
const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Who receives the report by email, when, and the last delivery. */
function Delivery({ r }: { r: View }) {
  const name = (id: string) => r.people[id] ?? id;
  const { to, at, timeZone, last } = r.delivery;
  return (
    <Stack space="space.050">
      <Text>
        {to.length === 0
          ? 'Not emailed: name people or teams under `report.to` in the charter to send it each morning.'
          : `Emailed each day at ${at} (${timeZone}) to ${to.map(name).join(', ')}.`}
      </Text>
      {last === null ? null : (
        <Text>
          {`Last sent ${last.day}${last.carrier === null ? '' : ` (with ${last.carrier})`}: ${last.recipients
            .map((p) => `${name(p.accountId)} ${p.sent ? 'sent' : `not sent (${p.why ?? 'refused'})`}`)
            .join('; ')}.`}
        </Text>
      )}
    </Stack>
  );
}

/** The daily operational report (core's): what changed in 24 hours, what is at risk, who must act next. */
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
  const { totals, changed, atRisk, actNext } = r.report;
  const name = (id: string | null) => (id === null ? 'the queue (unassigned)' : (r.people[id] ?? id));
  return (
    <Stack space="space.150">
      <Text>{`${r.projectKey}, ${utc(r.generatedAt)}: ${totals.open} open, ${totals.created} new, ${totals.changed} changed, ${totals.atRisk} at risk, ${totals.closedInPeriod} closed`}</Text>
      <Heading size="small">What changed (24 h)</Heading>
      {changed.length === 0 ? (
        <Text>Nothing meaningful changed.</Text>
      ) : (
        changed.map((c) => (
          <Text key={c.caseId}>{`${c.caseId} — ${c.changes
            .map((x) => `${x.kind} ${x.from ?? '–'} → ${x.to ?? '–'}`)
            .join('; ')}`}</Text>
        ))
      )}
      <Heading size="small">At risk</Heading>
      {atRisk.length === 0 ? (
        <Text>Nothing is at risk.</Text>
      ) : (
        atRisk.map((c) => (
          <Text
            key={c.caseId}
          >{`${c.caseId} [${c.severity}] ${c.owner === null ? 'no owner' : name(c.owner)}: ${c.reasons.join('; ')}`}</Text>
        ))
      )}
      <Heading size="small">Who must act next</Heading>
      {actNext.length === 0 ? (
        <Text>Nobody is waited on.</Text>
      ) : (
        actNext.map((a) => (
          <Text key={a.who ?? ''}>{`${name(a.who)}: ${a.cases.map((c) => `${c.caseId} (${c.why})`).join(', ')}`}</Text>
        ))
      )}
      <Delivery r={r} />
    </Stack>
  );
}
