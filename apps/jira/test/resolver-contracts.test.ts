import { describe, expect, it } from 'vitest';
import { CONTRACTS } from '../src/contracts/resolver-contracts.ts';
import type { ContractName } from '../src/contracts/resolver-contracts.ts';
import { uiResolver } from '../src/index.ts';
import { invokeResolver, saveCharter } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';

// Every resolver, by its contract: a valid payload from a caller with the permission is answered,
// a bad one is rejected naming the field, and a caller without the permission is refused. The table
// must name every contract, so a resolver added without a row fails here.
interface Row {
  valid: Record<string, unknown>;
  bad: unknown;
  badPath: string;
  /** Someone who may not: a customer for issue resolvers, an agent for admin ones. */
  outsider: string;
  insider: string;
}
const AGENT = 'u-ada';
const ADMIN = 'u-grace';
const CUSTOMER = 'u-cust';
const issue = { outsider: CUSTOMER, insider: AGENT };
const admin = { outsider: AGENT, insider: ADMIN };

const TABLE: Record<ContractName, Row> = {
  getIssueView: { ...issue, valid: { issueKey: 'SUP-1' }, bad: { issueKey: 'sup-1' }, badPath: 'issueKey' },
  answerSuggestion: { ...issue, valid: { issueKey: 'SUP-1', suggestionKey: 'none-pending', verdict: 'accept' }, bad: { issueKey: 'SUP-1', suggestionKey: 'k', verdict: 'override' }, badPath: 'reason' },
  draftUpdate: { ...issue, valid: { issueKey: 'SUP-2', audience: 'internal' }, bad: { issueKey: 'SUP-2', audience: 'board' }, badPath: 'audience' },
  postDraft: { ...issue, valid: { issueKey: 'SUP-2', text: 'Work continues.', confirmed: true }, bad: { issueKey: 'SUP-2', text: 'Work continues.', confirmed: false }, badPath: 'confirmed' },
  getCharter: { ...admin, valid: { scope: 'global' }, bad: { scope: 'sup' }, badPath: 'scope' },
  saveCharter: { ...admin, valid: { scope: 'SUP', yaml: 'autonomy:\n  nudge: automate\n', expectedVersion: 0 }, bad: { scope: 'SUP', yaml: 42, expectedVersion: 0 }, badPath: 'yaml' },
  startDryRun: { ...admin, valid: { projectKey: 'SUP', days: 1 }, bad: { projectKey: 'SUP', days: 0 }, badPath: 'days' },
  getDryRun: { ...admin, valid: { projectKey: 'SUP', runId: 'no-such-run' }, bad: { projectKey: 'SUP', runId: '' }, badPath: 'runId' },
  getAuditLog: { ...admin, valid: { projectKey: 'SUP', outcome: 'executed' }, bad: { projectKey: 'SUP', sinceDays: 0 }, badPath: 'sinceDays' },
  getDashboard: { ...issue, valid: { projectKey: 'SUP' }, bad: { projectKey: 'SUP-1' }, badPath: 'projectKey' },
  startDashboard: { ...issue, valid: { projectKey: 'SUP', days: 7 }, bad: { projectKey: 'SUP', days: 91 }, badPath: 'days' },
  getDashboardProgress: { ...issue, valid: { projectKey: 'SUP' }, bad: {}, badPath: 'projectKey' },
  getModelSettings: { ...admin, valid: {}, bad: 'settings', badPath: '' },
  saveModelSettings: { ...admin, valid: { provider: 'none' }, bad: { provider: 'openai' }, badPath: 'provider' },
  getDailyReport: { ...admin, valid: { projectKey: 'SUP' }, bad: { projectKey: 'sup' }, badPath: 'projectKey' },
};

useForgeHarness(async () => {
  await saveCharter({ projects: ['SUP'] });
});

describe('resolver contracts', () => {
  it('the table covers every contract', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  for (const [name, row] of Object.entries(TABLE) as [ContractName, Row][]) {
    it(`${name} (${CONTRACTS[name].permission}): valid accepted, bad rejected at '${row.badPath}', outsider refused`, async () => {
      const ok = await invokeResolver(uiResolver as never, name, row.valid, row.insider);
      expect(ok, JSON.stringify(ok)).toMatchObject({ ok: true });
      // What came back is what the UI parses: the contract's output schema accepts it.
      expect(CONTRACTS[name].output.safeParse((ok as { data: unknown }).data).success).toBe(true);
      const bad = await invokeResolver(uiResolver as never, name, row.bad, row.insider);
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      const paths = ((bad as { error: { details?: { path: (string | number)[] }[] } }).error.details ?? []).map((i) => i.path.join('.'));
      expect(paths).toEqual([row.badPath]);
      expect(await invokeResolver(uiResolver as never, name, row.valid, row.outsider)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await invokeResolver(uiResolver as never, name, row.valid, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    });
  }
});
