import { Button, DynamicTable, Inline, Label, SectionMessage, Select, Stack, Text, Textfield } from '@forge/react';
import { useEffect, useState } from 'react';
import { OUTCOMES } from '../../contracts/audit.ts';
import type { ContractInput, ContractOutput } from '../../contracts/resolver-contracts.ts';
import { callResolver } from '../use-resolver.ts';

type Page = ContractOutput<'getAuditLog'>;
type Query = ContractInput<'getAuditLog'>;
const ANY = 'any outcome';
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const percent = (x: number | null): string => (x === null ? 'no answers yet' : `${Math.round(x * 100)}%`);

/** The trust score: how often people agree with the agent, and why they override it. */
export function TrustScore({ trust }: { trust: Page['trust'] }) {
  const reasons = Object.entries(trust.overrideReasons)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return (
    <Text>{`Trust: ${percent(trust.acceptance)} of answered suggestions accepted (${trust.accepted} accepted, ${trust.overridden} overridden${reasons === '' ? '' : `: ${reasons}`}); ${trust.executed} actions executed${trust.drift === null ? '' : `; drift ${percent(trust.drift)} (${trust.drifted} of ${trust.finals} final actions differ)`}.`}</Text>
  );
}

/** The audit log with filters (issue, outcome, since) and a cursor to the next page, and the trust score. */
export function AuditLogPanel({ projectKey }: { projectKey: string }) {
  const [issueKey, setIssueKey] = useState('');
  const [outcome, setOutcome] = useState<string>(ANY);
  const [sinceDays, setSinceDays] = useState('');
  const [query, setQuery] = useState<Query>({ projectKey });
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void callResolver('getAuditLog', query).then((r) => {
      if (!live) return;
      if (r.status === 'ok') {
        setPage(r.data);
        setError(null);
      } else if (r.status === 'error') setError(r.message);
    });
    return () => {
      live = false;
    };
  }, [JSON.stringify(query)]);

  const apply = () =>
    setQuery({
      projectKey,
      ...(issueKey.trim() === '' ? {} : { issueKey: issueKey.trim().toUpperCase() }),
      ...(outcome === ANY ? {} : { outcome: outcome as Query['outcome'] & string }),
      ...(sinceDays.trim() === '' ? {} : { sinceDays: Number(sinceDays) }),
    });

  return (
    <Stack space="space.200">
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <Stack space="space.050">
          <Label labelFor="audit.issueKey">Issue</Label>
          <Textfield
            id="audit.issueKey"
            name="audit.issueKey"
            placeholder={`${projectKey}-1`}
            value={issueKey}
            onChange={(e) => setIssueKey(String(e.target.value ?? ''))}
          />
        </Stack>
        <Stack space="space.050">
          <Label labelFor="audit.outcome">Outcome</Label>
          <Select
            inputId="audit.outcome"
            name="audit.outcome"
            value={{ label: outcome, value: outcome }}
            options={[ANY, ...OUTCOMES].map((o) => ({ label: o, value: o }))}
            onChange={(o: { value: string } | null) => setOutcome(o?.value ?? ANY)}
          />
        </Stack>
        <Stack space="space.050">
          <Label labelFor="audit.sinceDays">Last N days</Label>
          <Textfield
            id="audit.sinceDays"
            name="audit.sinceDays"
            type="number"
            value={sinceDays}
            onChange={(e) => setSinceDays(String(e.target.value ?? ''))}
          />
        </Stack>
        <Button appearance="primary" onClick={apply}>
          Filter
        </Button>
      </Inline>
      {error === null ? null : (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
      {page === null ? (
        <Text>Loading the audit log…</Text>
      ) : (
        <Stack space="space.200">
          <TrustScore trust={page.trust} />
          <DynamicTable
            caption="Audit log"
            head={{
              cells: [
                { key: 'at', content: 'When (UTC)' },
                { key: 'issue', content: 'Issue' },
                { key: 'kind', content: 'Action' },
                { key: 'outcome', content: 'Outcome' },
                { key: 'reason', content: 'Reason' },
                { key: 'actor', content: 'By' },
              ],
            }}
            rows={page.entries.map((e) => ({
              key: e.id,
              cells: [
                { key: 'at', content: when(e.at) },
                { key: 'issue', content: e.issueKey },
                { key: 'kind', content: e.kind },
                { key: 'outcome', content: e.outcome },
                { key: 'reason', content: e.reason },
                { key: 'actor', content: e.actor },
              ],
            }))}
            emptyView={<Text>No entries match.</Text>}
          />
          <Inline space="space.100">
            {query.cursor === undefined ? null : (
              <Button onClick={() => setQuery(({ cursor: _, ...q }) => q)}>First page</Button>
            )}
            {page.nextCursor === undefined ? null : (
              <Button onClick={() => setQuery((q) => ({ ...q, cursor: page.nextCursor as string }))}>Next page</Button>
            )}
          </Inline>
        </Stack>
      )}
    </Stack>
  );
}
