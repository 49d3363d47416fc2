import { Button, DynamicTable, Inline, SectionMessage, Stack, Text, Textfield, Label } from '@forge/react';
import { DISPOSITIONS } from '@baton/core';
import { useEffect, useState } from 'react';
import type { DryRunResult } from '../../contracts/dry-run.ts';
import { callResolver } from '../use-resolver.ts';

/** Core's dispositions: what the charter's gate did with each decision. */
const VERDICTS = DISPOSITIONS;
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * A dry run: replays the project's last N days through the charter on the queue (nothing is written
 * to Jira) and polls for the result; shows what the agent would have done, per action and verdict.
 */
export function DryRunPanel({ projectKey, pollMs }: { projectKey: string; pollMs: number }) {
  const [days, setDays] = useState('14');
  const [runId, setRunId] = useState<string | null>(null);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (runId === null || result?.status === 'done' || result?.status === 'failed') return;
    let live = true;
    const timer = setTimeout(() => {
      void callResolver('getDryRun', { projectKey, runId }).then((r) => {
        if (!live) return;
        if (r.status === 'error') setError(r.message);
        else if (r.status === 'ok')
          setResult(
            r.data.result ?? {
              runId,
              projectKey,
              days: Number(days),
              status: 'running',
              issues: 0,
              unassignedAtCreation: 0,
              decisions: [],
              counts: [],
            },
          );
      });
    }, pollMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId, result, projectKey, pollMs]);

  const start = async () => {
    setError(null);
    setResult(null);
    const r = await callResolver('startDryRun', { projectKey, days: Number(days) });
    if (r.status === 'ok') setRunId(r.data.runId);
    else if (r.status === 'error') setError(r.message);
  };

  // One row per pattern and action, one column per verdict.
  const rows = [...new Map((result?.counts ?? []).map((c) => [`${c.pattern} ${c.kind}`, c])).values()].sort(
    (a, b) => a.pattern.localeCompare(b.pattern) || a.kind.localeCompare(b.kind),
  );
  const count = (pattern: string, kind: string, verdict: string): number =>
    result?.counts.find((c) => c.pattern === pattern && c.kind === kind && c.verdict === verdict)?.n ?? 0;
  return (
    <Stack space="space.200">
      <Text>
        Replays the project's recent history through this charter: what the agent would have done. Nothing is written to
        Jira.
      </Text>
      <Inline space="space.200" alignBlock="end">
        <Stack space="space.050">
          <Label labelFor="dryRun.days">Last N days (1–90)</Label>
          <Textfield
            id="dryRun.days"
            name="dryRun.days"
            type="number"
            value={days}
            onChange={(e) => setDays(String(e.target.value ?? ''))}
          />
        </Stack>
        <Button appearance="primary" onClick={() => void start()}>
          Start dry run
        </Button>
      </Inline>
      {error === null ? null : (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {runId !== null && (result === null || result.status === 'running') ? (
        <Text>{`Dry run ${runId.slice(0, 8)} is running…`}</Text>
      ) : null}
      {result?.status === 'failed' ? (
        <SectionMessage appearance="error">
          <Text>{`The dry run failed: ${result.error ?? 'unknown error'}`}</Text>
        </SectionMessage>
      ) : null}
      {result?.status === 'done' ? (
        <Stack space="space.200">
          <Text>{`${result.issues} issues over ${result.days} days: ${result.decisions.length} decisions; ${result.unassignedAtCreation} issues were unassigned at creation.`}</Text>
          <DynamicTable
            caption="Decisions per action and what the charter would do"
            head={{
              cells: [
                { key: 'pattern', content: 'Pattern' },
                { key: 'kind', content: 'Action' },
                ...VERDICTS.map((v) => ({ key: v, content: v })),
              ],
            }}
            rows={rows.map((r) => ({
              key: `${r.pattern} ${r.kind}`,
              cells: [
                { key: 'pattern', content: r.pattern },
                { key: 'kind', content: r.kind },
                ...VERDICTS.map((v) => ({ key: v, content: String(count(r.pattern, r.kind, v)) })),
              ],
            }))}
            emptyView={<Text>The agent would have done nothing.</Text>}
          />
          <DynamicTable
            caption="What the agent would have done"
            head={{
              cells: [
                { key: 'at', content: 'When (UTC)' },
                { key: 'issue', content: 'Issue' },
                { key: 'pattern', content: 'Pattern' },
                { key: 'kind', content: 'Action' },
                { key: 'verdict', content: 'Verdict' },
                { key: 'summary', content: 'Why' },
              ],
            }}
            rows={result.decisions.map((d) => ({
              key: d.key,
              cells: [
                { key: 'at', content: when(d.at) },
                { key: 'issue', content: d.issueKey },
                { key: 'pattern', content: d.pattern ?? '' },
                { key: 'kind', content: d.kind },
                { key: 'verdict', content: d.verdict },
                { key: 'summary', content: d.summary },
              ],
            }))}
            rowsPerPage={20}
            emptyView={<Text>No decisions.</Text>}
          />
        </Stack>
      ) : null}
    </Stack>
  );
}
