import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { said, tickAt } from './live-loop.ts';
import { saveCharterYaml } from './fixtures.ts';

// The missing-information loop on a recorded real issue (fixtures/SOURCE.md: BBCOM-1398, created
// Wednesday 5 December 2018 11:32 UTC, in "К выполнению", no due date, its reporter its assignee).
// The charter wants a due date before the issue leaves that state; the loop runs on the watchdog's
// tick from Monday 24 December: asks, reminds after 3 business weeks in the state, escalates to the
// team's lead after 4, and stops when the due date is set.

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
    seed: () => {
      const seed = seedFromRecorded({ me: { accountId: 'app-baton', displayName: 'Baton' }, issues: [RECORDED] });
      // The team's lead the charter names (not in the recording).
      seed.users.push({ accountId: 'u-lead', displayName: 'Team Lead' });
      return seed;
    },
  },
);

const CHARTER = `
version: 2
scope: { projects: [BBCOM] }
workflow:
  states:
    К выполнению: { phase: queue, ready: [{ kind: field, field: duedate, label: a due date }] }
routing:
  teams: [{ id: web, lead: u-lead, members: [{ id: ${ASSIGNEE} }] }]
missingInfo: { remindAfter: 3w, escalateAfter: 4w }
autonomy: { default: off, kinds: { requestInfo: automate, escalate: automate } }
risk: { autoCustomerFacing: true }
caps: { maxNudgesPerCasePerDay: 3 }
`;

describe('the missing-information loop on a recorded real issue', () => {
  it('asks, reminds three business weeks into the state, escalates to the lead at four, then stays quiet', async () => {
    await saveCharterYaml(CHARTER);
    await tickAt(NOW);
    expect(said(h, KEY)).toHaveLength(1);
    expect(said(h, KEY)[0]).toContain(`To move ${KEY} forward we need a due date.`);
    await tickAt(Date.UTC(2018, 11, 26, 11, 0)); // Wednesday, before 11:32: not yet
    expect(said(h, KEY)).toHaveLength(1);
    await tickAt(Date.UTC(2018, 11, 26, 12, 0));
    expect(said(h, KEY)).toHaveLength(2);
    expect(said(h, KEY)[1]).toContain(`Reminder: to move ${KEY} forward we need a due date.`);
    await tickAt(Date.UTC(2019, 0, 2, 12, 0));
    expect(said(h, KEY)).toHaveLength(3);
    expect(said(h, KEY)[2]).toContain(`${KEY} has waited for a due date`);
    expect(JSON.stringify(h.sim.store.get(KEY).comments.at(-1)!.body)).toContain('"id":"u-lead"');
    await tickAt(Date.UTC(2019, 0, 9, 12, 0));
    expect(said(h, KEY)).toHaveLength(3);
  });

  it('stops when the due date is set', async () => {
    await saveCharterYaml(CHARTER);
    await tickAt(NOW);
    expect(said(h, KEY)).toHaveLength(1);
    vi.setSystemTime(Date.UTC(2018, 11, 25, 10, 0));
    h.sim.store.edit(KEY, { duedate: '2019-01-15' }, ASSIGNEE);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', KEY, { atlassianId: ASSIGNEE }));
    await tickAt(Date.UTC(2018, 11, 26, 12, 0));
    await tickAt(Date.UTC(2019, 0, 2, 12, 0));
    expect(said(h, KEY)).toHaveLength(1);
  });
});
