import { Button, DynamicTable, Heading, Inline, Label, SectionMessage, Stack, Text, Textfield } from '@forge/react';
import { useState } from 'react';
import { useResolver } from '../use-resolver.ts';

const n1 = (x: number | null): string => (x === null ? '–' : String(Math.round(x * 10) / 10));
const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);

/**
 * The coordination dashboard: core's analysis (the KPIs of `baton analyze`) over the project's
 * issues updated in the last N days — where work waits, handoffs, ping-pong, status chasing,
 * exceptions, SLA breaches and what the overhead costs.
 */
export function DashboardPanel({ projectKey }: { projectKey: string }) {
  const [daysText, setDaysText] = useState('30');
  const [days, setDays] = useState(30);
  const [refresh, setRefresh] = useState(0);
  const view = useResolver('getDashboard', { projectKey, days }, refresh);
  const controls = (
    <Inline space="space.200" alignBlock="end">
      <Stack space="space.050">
        <Label labelFor="dashboard.days">Issues updated in the last N days (1–90)</Label>
        <Textfield id="dashboard.days" name="dashboard.days" type="number" value={daysText} onChange={(e) => setDaysText(String(e.target.value ?? ''))} />
      </Stack>
      <Button
        onClick={() => {
          setDays(Number(daysText));
          setRefresh((r) => r + 1);
        }}
      >
        Refresh
      </Button>
    </Inline>
  );
  if (view.status === 'loading') return <Stack space="space.200">{controls}<Text>Analysing…</Text></Stack>;
  if (view.status === 'error') return <Stack space="space.200">{controls}<SectionMessage appearance="error"><Text>{view.message}</Text></SectionMessage></Stack>;
  const { kpis: k, issues, truncated } = view.data;
  return (
    <Stack space="space.200">
      {controls}
      <Text>{`${issues} issues${truncated ? ' (the most recently updated; more were updated in this window)' : ''}, ${k.events} events.`}</Text>
      <Heading size="small">Flow</Heading>
      <Text>{`Cycle time: median ${n1(k.cycleTimeDays.p50)} days, p90 ${n1(k.cycleTimeDays.p90)} days (business days: median ${n1(k.cycleTimeBusinessDays.p50)}, p90 ${n1(k.cycleTimeBusinessDays.p90)}).`}</Text>
      <Text>{`Handoffs: ${k.handoffs} (${n1(k.handoffsPerCase.mean)} per issue); reassigned: ${pct(k.reassignmentRate)}; ping-pong: ${k.pingPongCases} issues.`}</Text>
      <Text>{`Status chases: ${k.statusChases} comments in ${k.statusChaseCases} issues. Exceptions: ${pct(k.exceptions.rate)} of issues (${k.exceptions.reopened} reopened, ${k.exceptions.waiting} waits, ${k.exceptions.escalated} escalations).`}</Text>
      <Text>{`SLA: ${k.sla.met} met, ${k.sla.breached} breached, ${k.sla.open} open; breach rate ${pct(k.sla.breachRate)}.`}</Text>
      <Text>{`Coordination overhead: ${Math.round(k.overhead.totalMinutes)} minutes, ${k.money.currency} ${Math.round(k.money.total)}${k.money.perMonth === null ? '' : ` (${k.money.currency} ${Math.round(k.money.perMonth)} a month)`}.`}</Text>
      <DynamicTable
        caption="Choke points: where work waits"
        head={{ cells: [{ key: 'state', content: 'State' }, { key: 'phase', content: 'Phase' }, { key: 'visits', content: 'Visits' }, { key: 'total', content: 'Total days' }, { key: 'median', content: 'Median days' }, { key: 'share', content: 'Share of waiting' }] }}
        rows={k.chokePoints.map((c) => ({
          key: c.state,
          cells: [{ key: 'state', content: c.state }, { key: 'phase', content: c.phase }, { key: 'visits', content: String(c.visits) }, { key: 'total', content: n1(c.totalDays) }, { key: 'median', content: n1(c.medianDays) }, { key: 'share', content: pct(c.share) }],
        }))}
        emptyView={<Text>Nothing waited.</Text>}
      />
    </Stack>
  );
}
