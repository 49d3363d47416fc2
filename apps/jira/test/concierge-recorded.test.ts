import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY } from '../src/app/execute-decision.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { saveCharterYaml } from './fixtures.ts';

// The concierge on a recorded real issue (fixtures/SOURCE.md: BBCOM-1398, in "К выполнению", no due
// date): its assignee sets a due date — a new promise, news for the team; a label is news for nobody.

const RECORDED = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'jira-to-matrix-issue.json'), 'utf8'));
const ASSIGNEE = '5b912f5c8a96e82b9549361c';
const NOW = Date.UTC(2018, 11, 24, 12, 0);
const KEY = 'BBCOM-1398';

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  {
    at: NOW,
    seed: () => seedFromRecorded({ me: { accountId: 'app-baton', displayName: 'Baton' }, issues: [RECORDED] }),
  },
);

const CHARTER = `
version: 2
scope: { projects: [BBCOM] }
workflow:
  states:
    К выполнению: { phase: queue }
concierge: { onChange: [internal] }
autonomy: { default: off, kinds: { comment: automate } }
`;

const posted = () =>
  h.sim.store
    .get(KEY)
    .comments.filter((c) => c.properties.has(DECISION_PROPERTY))
    .map((c) => ({ text: h.sim.store.commentText(c), public: c.properties.get(JSM_PUBLIC_PROPERTY) }));

async function change(fields: Record<string, unknown>, at: number): Promise<void> {
  vi.setSystemTime(at);
  h.sim.store.edit(KEY, fields, ASSIGNEE);
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', KEY, { atlassianId: ASSIGNEE }));
}

describe('the concierge on a recorded real issue', () => {
  it('a due date set is the team’s news, once; a label is nobody’s', async () => {
    await saveCharterYaml(CHARTER, 0);
    await change({ labels: ['matrix'] }, NOW);
    expect(posted()).toEqual([]);
    await change({ duedate: '2019-01-15' }, NOW + 3_600_000);
    expect(posted()).toEqual([{ text: expect.stringContaining('2019-01-15'), public: { internal: true } }]);
    expect(posted()[0]?.text).toContain('What changed:');
    // People by name: the recorded assignee's account id is not in what the team reads.
    expect(posted()[0]?.text).not.toContain(ASSIGNEE);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', KEY, { atlassianId: ASSIGNEE }));
    expect(posted()).toHaveLength(1);
  });
});
