import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adfToText, seedFromRecorded } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, watchdogTick, workConsumer } from '../src/index.ts';
import { DECISION_PROPERTY, JSM_PUBLIC_PROPERTY, executeDecision } from '../src/app/execute-decision.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';
import { actDecision, saveCharterYaml } from './fixtures.ts';

// The clerk and the watchdog's per-person cap on recorded real issues (fixtures/SOURCE.md):
// BBCOM-1398 (jira-to-matrix, a REST v2 issue with three comments) in the issue panel, and the public
// Appcelerator TIMOB issues (tidev/jira-archive) for a change of owner and for one real owner's many
// stalls. The seeded-project versions are issue-panel-packet.test.tsx, handoff.test.ts, person-cap.test.ts.

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('the clerk in the panel on a recorded real issue', () => {
  const NOW = Date.UTC(2018, 11, 24, 12, 0);
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
          issues: [fixture('jira-to-matrix-issue.json')],
        }),
    },
  );

  it('BBCOM-1398: the packet through the reconciler, its comments sourced and its people by name', async () => {
    await saveCharterYaml(`version: 2\nscope: { projects: [BBCOM] }\n`, NOW);
    const ui = installUiKitHost({
      accountId: '5b912f5c8a96e82b9549361c',
      extension: { type: 'jira:issuePanel', issue: { key: 'BBCOM-1398' } },
    });
    const { IssuePanel } = await import('../src/frontend/issue-panel-view.tsx');
    await ui.render(<IssuePanel />);
    await ui.settle(() => ui.shown().includes('Next owner:'), 'the packet');
    const shown = ui.shown();
    const packet = shown.slice(shown.indexOf('Handoff packet'), shown.indexOf('Suggestions'));
    // The packet is core's, from the real issue as Jira serves it: its summary, state, owner, real
    // dates and its three real comments, every person by the display name the recording carries.
    expect(packet).toContain(
      'BBCOM-1398: Prueba de creación de tareas en un proyecto público. In К выполнению (queue), owned by Сидоров Егор Ильич.',
    );
    expect(packet).toContain('Opened 2018-12-05 by Сидоров Егор Ильич; 3 comments, 0 handoffs.');
    expect(packet).toContain('Next owner: Сидоров Егор Ильич (the current owner)');
    expect(packet).toContain('Сидоров Егор Ильич: commenter, owner, reporter');
    expect(packet).toContain('medium: no activity for 5 days');
    expect(packet).toContain('Ready to leave К выполнению?');
    expect(packet).toContain('owner assigned — from field assignee');
    expect(packet).toContain('priority set — from field priority');
    expect(packet).not.toContain('5b912f5c8a96e82b9549361c');
    expect(ui.calls.map((c) => c.name)).toContain('getHandoffPacket');
    expect(h.sim.requestsTo('/rest/api/3/issue/BBCOM-1398', 'GET').length).toBeGreaterThan(0);
  });
});

// The public Appcelerator TIMOB issues (fixtures/SOURCE.md), served open in "Open" with their real
// assignees: the newest of one real owner's (hknoechel) and of another's (gmathews). Bounded to a few.
interface Recorded {
  key: string;
  fields: Record<string, unknown> & {
    created: string;
    assignee: { name: string } | null;
    reporter: { name: string; displayName: string };
  };
}
const TIMOB = fixture('appcelerator-timob-2016-routing.json') as Recorded[];
const ownedBy = (name: string, n: number): Recorded[] =>
  TIMOB.filter((r) => r.fields.assignee?.name === name).slice(-n);
const OWNER = ownedBy('hknoechel', 12);
const OTHER = ownedBy('gmathews', 4);
const DAY = 86_400_000;
/** Noon UTC of the first weekday a week after the last of them was created: every one has sat idle in Open. */
const LATER = (() => {
  const last = Math.max(...[...OWNER, ...OTHER].map((r) => Date.parse(r.fields.created)));
  let t = Math.floor((last + 7 * DAY) / DAY) * DAY + 12 * 3_600_000;
  while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
  return t;
})();
const timobSeed = () =>
  seedFromRecorded({
    me: { accountId: 'app-baton', displayName: 'Baton' },
    issues: [...OWNER, ...OTHER].map((r) => ({
      ...r,
      fields: {
        ...r.fields,
        status: { name: 'Open', statusCategory: { key: 'new' } },
        resolution: null,
        resolutiondate: null,
      },
    })),
  });

describe('the handoff on a recorded real issue whose owner changes', () => {
  let h: ForgeHarness;
  useForgeHarness(
    (started) => {
      h = started;
    },
    { at: LATER, seed: timobSeed },
  );

  const handoffs = (key: string) =>
    h.sim.store
      .get(key)
      .comments.filter(
        (c) =>
          c.author === 'app-baton' &&
          c.properties.has(DECISION_PROPERTY) &&
          adfToText(c.body).includes(`you now own ${key}. The handoff packet`),
      );

  it("hknoechel's newest issue handed to gmathews: the packet reaches gmathews once, internal, under redelivery", async () => {
    // Core's default caps (one nudge per issue a day): the handoff is no nudge, so a packet per change
    // of owner is held to account by its own once-per-change-of-owner key alone.
    await saveCharterYaml(
      `version: 2\nscope: { projects: [TIMOB] }\nautonomy: { default: off, kinds: { comment: automate } }\n`,
      LATER,
    );
    const key = OWNER.at(-1)!.key;
    h.sim.store.assign(key, 'gmathews', 'hknoechel');
    const event = issueEvent(h.sim, 'avi:jira:assigned:issue', key, {
      atlassianId: 'hknoechel',
      changelogItems: [{ field: 'assignee', fromString: 'Hans Knöchel', toString: 'Gary Mathews' }],
    });
    await onIssueEvent(event);
    await onIssueEvent(event);
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key, { atlassianId: 'hknoechel' }));
    const posted = handoffs(key);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]!.body)).toContain('"type":"mention","attrs":{"id":"gmathews"');
    expect(posted[0]!.properties.get(JSM_PUBLIC_PROPERTY)).toEqual({ internal: true });
    const text = adfToText(posted[0]!.body);
    expect(text).toContain(String(OWNER.at(-1)!.fields.summary));
    const { entries } = await createBatonStorage().queryAudit({ issueKey: key, outcome: 'executed' });
    expect(entries.filter((e) => e.kind === 'comment')).toHaveLength(1);
    // The other issues kept their owner: no packet on any of them.
    expect(OWNER.slice(0, -1).flatMap((r) => handoffs(r.key))).toEqual([]);
  });

  it('handoff.by: email — after a nudge the same day, under caps of 1: the packet reaches gmathews by Jira notification once', async () => {
    await saveCharterYaml(
      `version: 2
scope: { projects: [TIMOB] }
autonomy: { default: off, kinds: { notify: automate } }
caps: { maxNudgesPerCasePerDay: 1, maxNudgesPerPersonPerDay: 1 }
handoff: { by: email }
`,
      LATER,
    );
    const r = OWNER.at(-1)!;
    const deps = { jira: undefined as never, storage: createBatonStorage(), now: () => Date.now() };
    const { createJiraClient } = await import('@baton/jira');
    const { appJiraFetch } = await import('../src/platform/forge-jira.ts');
    deps.jira = createJiraClient({ fetch: appJiraFetch() }) as never;
    const nudge = actDecision({
      id: `nudge-${r.key}`,
      caseId: r.key,
      actions: [{ kind: 'notify', to: 'gmathews', message: `Still on ${r.key}?` }],
    });
    const caps = { nudgeCap: 1, personCap: 1 };
    expect(await executeDecision(deps, nudge, 'app', caps)).toBe('executed');
    h.sim.store.assign(r.key, 'gmathews', 'hknoechel');
    const event = issueEvent(h.sim, 'avi:jira:assigned:issue', r.key, {
      atlassianId: 'hknoechel',
      changelogItems: [{ field: 'assignee', fromString: 'Hans Knöchel', toString: 'Gary Mathews' }],
    });
    await onIssueEvent(event);
    await onIssueEvent(event);
    expect(handoffs(r.key)).toEqual([]);
    const sent = h.sim.store.notifications.filter((n) => n.issueKey === r.key);
    expect(sent.map((n) => n.to)).toEqual([['gmathews']]);
    expect(sent[0]!.textBody).toContain(`you now own ${r.key}. The handoff packet, Gary Mathews:`);
    expect(sent[0]!.textBody).toContain(String(r.fields.summary));
    expect(sent[0]!.textBody).not.toMatch(/\b(gmathews|hknoechel)\b/);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: r.key, outcome: 'executed' });
    expect(entries.filter((e) => e.pattern === 'clerk').map((e) => e.kind)).toEqual(['notify']);
    // The handoff took no slot: the next nudge to gmathews today still waits.
    expect(
      await executeDecision(deps, { ...nudge, id: `again-${r.key}`, idempotencyKey: `again-${r.key}` }, 'app', caps),
    ).toEqual({
      deferred: { code: 'caps.perPersonDay' },
    });
  });
});

describe('the per-person nudge cap on recorded real issues of one owner', () => {
  const CAP = 3;
  let h: ForgeHarness;
  useForgeHarness(
    async (started) => {
      h = started;
      await saveCharterYaml(
        `version: 2
scope: { projects: [TIMOB] }
autonomy: { default: assist, kinds: { notify: automate } }
confidence: { act: 0.7, suggest: 0.5 }
caps: { maxNudgesPerPersonPerDay: ${CAP} }
`,
        LATER,
      );
    },
    { at: LATER, seed: timobSeed },
  );

  async function tick(): Promise<void> {
    await watchdogTick();
    for (const { outcome } of await h.drainQueue(workConsumer as never)) expect(outcome.kind).not.toBe('threw');
  }
  const nudged = (issues: Recorded[]): string[] =>
    issues
      .map((r) => r.key)
      .filter((key) =>
        h.sim.store
          .get(key)
          .comments.some((c) => c.author === 'app-baton' && JSON.stringify(c.body).includes('idle in Open')),
      );

  it(`hknoechel's ${OWNER.length} stalled issues: at most ${CAP} nudges a day, however many ticks; gmathews keeps his own`, async () => {
    await tick();
    expect(nudged(OWNER)).toHaveLength(CAP);
    expect(nudged(OTHER)).toHaveLength(CAP);
    // Each nudge names the reporter it waits on by display name ("waiting: Prashant Saini"), never by account id.
    for (const r of [...OWNER, ...OTHER].filter((x) => nudged([x]).length > 0)) {
      const text = h.sim.store
        .get(r.key)
        .comments.filter((c) => c.author === 'app-baton')
        .map((c) => h.sim.store.commentText(c))
        .join('\n');
      expect(text).toContain(`waiting: ${r.fields.reporter.displayName};`);
      expect(text).not.toContain(`waiting: ${r.fields.reporter.name};`);
    }
    const day = new Date(LATER).toISOString().slice(0, 10);
    expect(await createBatonStorage().personNudgesToday('hknoechel', day)).toBe(CAP);
    vi.setSystemTime(LATER + 30 * 60_000);
    await tick();
    expect(nudged(OWNER)).toHaveLength(CAP);
    // The next weekday the deferred ones may go, again at most the cap.
    let next = LATER + DAY;
    while ([0, 6].includes(new Date(next).getUTCDay())) next += DAY;
    vi.setSystemTime(next);
    await tick();
    expect(nudged(OWNER)).toHaveLength(2 * CAP);
  });
});
