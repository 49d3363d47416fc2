import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it } from 'vitest';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { onIssueEvent, workConsumer } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { loadTrainedRouter, routerTrainRun, startRouterTraining } from '../src/app/router-model.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { fieldWriteOf } from './fixtures.ts';
import { consumerEvent, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The router model on recorded real issues (fixtures/SOURCE.md): the newest 330 resolved TIMOB issues
// of 2016 in three components. The 300 oldest stay resolved and train the model on the queue; the 30
// newest are served as new, open issues without component or assignee, and the router's suggestions
// for them are compared with the component each really got.

interface Recorded {
  key: string;
  fields: Record<string, unknown> & { components: { name: string }[]; created: string };
}
const RECORDED = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'appcelerator-timob-2016-routing.json'), 'utf8'),
) as Recorded[];
const HELD_OUT = 30;
const train = RECORDED.slice(0, -HELD_OUT);
const held = RECORDED.slice(-HELD_OUT);
const truth = new Map(held.map((r) => [r.key, r.fields.components[0]!.name]));
// The last resolution in the recording, a day later: the held-out issues are then "new".
const NOW = Date.parse(held.at(-1)!.fields.created) + 86_400_000;

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  {
    at: NOW,
    seed: () =>
      seedFromRecorded({
        me: { accountId: 'app-baton', displayName: 'Baton' },
        issues: [
          ...train,
          ...held.map((r) => ({
            ...r,
            fields: {
              ...r.fields,
              status: { name: 'Open', statusCategory: { key: 'new' } },
              resolution: null,
              resolutiondate: null,
              components: [],
              assignee: null,
            },
          })),
        ],
      }),
  },
);

describe('the router model on recorded real issues', () => {
  it('trains on the resolved ones and places new ones better than the most common component would', async () => {
    const yaml = 'version: 2\nscope: { projects: [TIMOB] }\nautonomy: { default: assist }\n';
    const parsed = parseCharterYaml(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    await createBatonStorage().saveCharter(
      'global',
      { charter: parsed.value, yaml, updatedAt: NOW, updatedBy: 'test' },
      0,
    );
    await startRouterTraining(forgeDeps(), 'TIMOB', 'test');
    for (let e = h.queued.shift(); e !== undefined; e = h.queued.shift()) await workConsumer(consumerEvent(e.body));
    const run = await routerTrainRun(createBatonStorage(), 'TIMOB');
    expect(run?.status, run?.error).toBe('done');
    expect(run?.examples).toBe(train.length);
    const model = (await loadTrainedRouter(createBatonStorage(), 'TIMOB'))!.models[0]!;

    let right = 0;
    let suggested = 0;
    let withWords = 0;
    for (const r of held) {
      await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', r.key) as never);
      const state = IssueStateSchema.parse(h.sim.store.get(r.key).properties.get(ISSUE_STATE_PROPERTY));
      const s = state.suggestions.find((x) => fieldWriteOf(x)?.field === 'components');
      if (s === undefined) continue;
      suggested++;
      if (fieldWriteOf(s)?.value === truth.get(r.key)) right++;
      if (/words behind it: components /.test(s.decision.reason)) withWords++;
    }
    const counts = new Map<string, number>();
    for (const r of train)
      counts.set(r.fields.components[0]!.name, (counts.get(r.fields.components[0]!.name) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const baseline = held.filter((r) => truth.get(r.key) === majority).length / held.length;
    console.log(
      `recorded TIMOB: ${suggested}/${held.length} suggested, ${right} right (${((right / Math.max(1, suggested)) * 100).toFixed(0)} %); majority (${majority}) ${(baseline * 100).toFixed(0)} %; act ≥ ${model.thresholds.act}, suggest ≥ ${model.thresholds.suggest}`,
    );
    expect(suggested).toBeGreaterThan(0);
    expect(right / suggested).toBeGreaterThan(baseline);
    expect(withWords).toBe(suggested);
  });
});
