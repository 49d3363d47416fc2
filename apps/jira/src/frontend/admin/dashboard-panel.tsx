import { Button, DynamicTable, Heading, Inline, Label, SectionMessage, Stack, Text, Textfield } from '@forge/react';
import { useEffect, useState } from 'react';
import type { Dashboard, DashboardProgress } from '../../contracts/dashboard.ts';
import { callResolver } from '../use-resolver.ts';

const n1 = (x: number | null): string => (x === null ? '–' : String(Math.round(x * 10) / 10));
const pct = (x: number | null): string => (x === null ? '–' : `${Math.round(x * 100)}%`);
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const running = (p: DashboardProgress | null): boolean =>
  p !== null && (p.status === 'queued' || p.status === 'running');

/**
 * The coordination dashboard: core's analysis (the KPIs of `baton analyze`) over every issue of the
 * project updated in the last N days, computed on the queue. Shows the last result at once; Refresh
 * starts a new analysis (or joins the running one) and the panel polls its progress until it is done.
 * The charts are on the project's Baton dashboard page (Custom UI, `jira:projectPage`).
 */
export function DashboardPanel({ projectKey, pollMs }: { projectKey: string; pollMs: number }) {
  const [daysText, setDaysText] = useState('30');
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [progress, setProgress] = useState<DashboardProgress | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    const r = await callResolver('getDashboard', { projectKey });
    if (r.status === 'error') setError(r.message);
    else if (r.status === 'ok') {
      setDashboard(r.data.dashboard);
      setProgress(r.data.progress);
      if (r.data.dashboard !== null) setDaysText(String(r.data.dashboard.days));
    }
    setLoaded(true);
  };
  useEffect(() => {
    void load();
  }, [projectKey]);

  useEffect(() => {
    if (!running(progress)) return;
    let live = true;
    const timer = setTimeout(() => {
      void callResolver('getDashboardProgress', { projectKey }).then(async (r) => {
        if (!live) return;
        if (r.status === 'error') setError(r.message);
        else if (r.status === 'ok') {
          if (r.data.progress?.status === 'done') await load();
          else setProgress(r.data.progress);
        }
      });
    }, pollMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [progress, projectKey, pollMs]);

  const refresh = async () => {
    setError(null);
    const r = await callResolver('startDashboard', { projectKey, days: Number(daysText) });
    if (r.status === 'error') setError(r.message);
    else if (r.status === 'ok') setProgress(r.data.progress);
  };

  const controls = (
    <Inline space="space.200" alignBlock="end">
      <Stack space="space.050">
        <Label labelFor="dashboard.days">Issues updated in the last N days (1–90)</Label>
        <Textfield
          id="dashboard.days"
          name="dashboard.days"
          type="number"
          value={daysText}
          onChange={(e) => setDaysText(String(e.target.value ?? ''))}
        />
      </Stack>
      <Button isDisabled={running(progress)} onClick={() => void refresh()}>
        Refresh
      </Button>
    </Inline>
  );
  const status = running(progress) ? (
    <Text>{`Refreshing: ${progress?.issuesRead ?? 0} issues read so far${progress?.note ? ` (${progress.note})` : ''}…`}</Text>
  ) : progress?.status === 'failed' ? (
    <SectionMessage appearance="error">
      <Text>{`The last refresh failed: ${progress.error ?? 'unknown error'}`}</Text>
    </SectionMessage>
  ) : null;
  const head = (
    <Stack space="space.200">
      {controls}
      {error === null ? null : (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {status}
      <Text>
        The same analysis with charts is on the project's "Baton dashboard" page (in the project's sidebar), for
        everyone who works in the project.
      </Text>
    </Stack>
  );
  if (!loaded)
    return (
      <Stack space="space.200">
        {head}
        <Text>Loading…</Text>
      </Stack>
    );
  if (dashboard === null)
    return (
      <Stack space="space.200">
        {head}
        <Text>No analysis yet: choose a window and press Refresh.</Text>
      </Stack>
    );
  const { kpis: k } = dashboard;
  return (
    <Stack space="space.200">
      {head}
      <Text>{`${dashboard.issues} issues updated in the last ${dashboard.days === 1 ? 'day' : `${dashboard.days} days`}, ${k.events} events; computed ${when(dashboard.generatedAt)} UTC.`}</Text>
      <Heading size="small">Flow</Heading>
      <Text>{`Cycle time: median ${n1(k.cycleTimeDays.p50)} days, p90 ${n1(k.cycleTimeDays.p90)} days (business days: median ${n1(k.cycleTimeBusinessDays.p50)}, p90 ${n1(k.cycleTimeBusinessDays.p90)}).`}</Text>
      <Text>{`Handoffs: ${k.handoffs} (${n1(k.handoffsPerCase.mean)} per issue); reassigned: ${pct(k.reassignmentRate)}; ping-pong: ${k.pingPongCases} issues.`}</Text>
      <Text>{`Status chases: ${k.statusChases} comments in ${k.statusChaseCases} issues. Exceptions: ${pct(k.exceptions.rate)} of issues (${k.exceptions.reopened} reopened, ${k.exceptions.waiting} waits, ${k.exceptions.escalated} escalations).`}</Text>
      <Text>{`SLA: ${k.sla.met} met, ${k.sla.breached} breached, ${k.sla.open} open; breach rate ${pct(k.sla.breachRate)}.`}</Text>
      <Text>{`Coordination overhead: ${Math.round(k.overhead.totalMinutes)} minutes, ${k.money.currency} ${Math.round(k.money.total)}${k.money.perMonth === null ? '' : ` (${k.money.currency} ${Math.round(k.money.perMonth)} a month)`}.`}</Text>
      <DynamicTable
        caption="Choke points: where work waits"
        head={{
          cells: [
            { key: 'state', content: 'State' },
            { key: 'phase', content: 'Phase' },
            { key: 'visits', content: 'Visits' },
            { key: 'total', content: 'Total days' },
            { key: 'median', content: 'Median days' },
            { key: 'share', content: 'Share of waiting' },
          ],
        }}
        rows={k.chokePoints.map((c) => ({
          key: c.state,
          cells: [
            { key: 'state', content: c.state },
            { key: 'phase', content: c.phase },
            { key: 'visits', content: String(c.visits) },
            { key: 'total', content: n1(c.totalDays) },
            { key: 'median', content: n1(c.medianDays) },
            { key: 'share', content: pct(c.share) },
          ],
        }))}
        emptyView={<Text>Nothing waited.</Text>}
      />
    </Stack>
  );
}
