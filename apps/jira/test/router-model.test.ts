import { describe, expect, it, vi } from 'vitest';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { onIssueEvent, routerRetrain, uiResolver, workConsumer } from '../src/index.ts';
import {
  ROUTER_TRAIN_PAGE_SIZE,
  loadTrainedRouter,
  noteRouterOverride,
  retrainIfDue,
  routerTrainRun,
  startRouterTraining,
} from '../src/app/router-model.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { assigneeOf, fieldWriteOf, invokeResolver, kindsOf, NOW, saveCharterYaml } from './fixtures.ts';
import { consumerEvent, issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The router that learns the project: a component model trained on the queue from the project's own
// resolved issues (paged, checkpointed, resumed by the next queue item), stored in parts within Forge's
// value limit, used by the router on the next issue with its calibrated lines and its evidence words.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** Words of each component's issues, as a team's history would use them (and filler every issue shares). */
const VOCAB = {
  Billing: ['invoice', 'refund', 'charged', 'payment', 'receipt', 'vat'],
  Login: ['password', 'sso', 'locked', 'signin', 'mfa', 'token'],
  Reports: ['export', 'chart', 'csv', 'dashboard', 'pdf', 'totals'],
} as const;
const OWNER = { Billing: 'u-linus', Login: 'u-grace', Reports: 'u-ada' } as const;
const FILLER = ['please', 'help', 'customer', 'since', 'today', 'again', 'urgent', 'team'];

/** Log lines and ids as real descriptions hold them: many distinct character n-grams, so a large model. */
function noise(i: number, words: number): string {
  let x = i * 7919 + 1;
  const out: string[] = [];
  for (let k = 0; k < words; k++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(`e${x.toString(36)}`);
  }
  return out.join(' ');
}

/** `n` resolved SUP issues spread over three components, each worked by its component's person. */
function seedHistory(n: number, noiseWords = 0): void {
  const comps = Object.keys(VOCAB) as (keyof typeof VOCAB)[];
  for (let i = 0; i < n; i++) {
    const w = VOCAB[comps[i % comps.length]!];
    // As in any team's history, some issues were filed under another component than their words say.
    const c = i % 13 === 5 ? comps[(i + 1) % comps.length]! : comps[i % comps.length]!;
    h.sim.store.insert({
      key: `SUP-${100 + i}`,
      // From one telling word among common ones (hard to place) to four (easy): confidences spread.
      summary: `${w[i % w.length]} ${FILLER[i % FILLER.length]} ${FILLER[(i + 5) % FILLER.length]}`,
      description: `${FILLER[(i + 3) % FILLER.length]} ${[1, 2, 3]
        .slice(0, i % 4)
        .map((k) => w[(i + k) % w.length])
        .join(' ')} ${noise(i, noiseWords)}`,
      status: 'Done',
      reporter: 'u-cust',
      assignee: OWNER[c],
      components: [c],
      created: new Date(NOW - (n - i) * 3_600_000 - 86_400_000).toISOString(),
    });
  }
}

const CHARTER = (extra = '') =>
  `version: 2
scope: { projects: [SUP] }
autonomy: { default: assist }
${extra}`;

/** Delivers queued work until none is left; returns the bodies delivered. */
async function drain(): Promise<unknown[]> {
  const bodies: unknown[] = [];
  for (let e = h.queued.shift(); e !== undefined; e = h.queued.shift()) {
    bodies.push(e.body);
    await workConsumer(consumerEvent(e.body));
  }
  return bodies;
}

async function train(): Promise<unknown[]> {
  await startRouterTraining(forgeDeps(), 'SUP', 'test');
  return drain();
}

/** A new customer issue with no component and no owner. */
function fileNew(summary: string, key = 'SUP-900', description = 'Reported by the customer this morning.'): string {
  h.sim.store.insert({
    key,
    summary,
    description,
    status: 'To Do',
    reporter: 'u-cust',
    created: new Date(NOW - 600_000).toISOString(),
  });
  return key;
}

const suggestionsOf = (key: string) =>
  IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY)).suggestions;

describe('the router model trained on the queue', () => {
  it('reads resolved issues page by page across queue items, stores the model in parts, and suggests with evidence', async () => {
    seedHistory(330, 60);
    await saveCharterYaml(CHARTER(), NOW);
    // Little time left in each invocation: every step reads one page and hands on to the next item.
    h.remainingMs = 100_000;
    const steps = await train();
    const run = await routerTrainRun(createBatonStorage(), 'SUP');
    expect(run?.status, run?.error).toBe('done');
    const resolved = [...h.sim.store.issues.values()].filter((i) => i.key.startsWith('SUP-') && i.statusId === '10002');
    expect(run?.examples).toBe(resolved.length);
    expect(steps.length).toBe(Math.ceil(resolved.length / ROUTER_TRAIN_PAGE_SIZE));
    const trained = await loadTrainedRouter(createBatonStorage(), 'SUP');
    expect(trained?.models.map((m) => m.target)).toEqual(['component']);
    const billing = resolved.filter((i) => i.components.includes('Billing')).length;
    expect(trained?.skills.get('u-linus')?.get('Billing')).toBe(billing);
    const head = (await createBatonStorage().getJson('router-model:SUP:model')) as { parts: number };
    // Larger than one KVS value (240 KiB, enforced by the harness): stored in parts.
    expect(head.parts).toBeGreaterThan(1);

    h.remainingMs = 25_000;
    const key = fileNew('Refund for an invoice charged twice');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key) as never);
    const component = suggestionsOf(key).find((s) => fieldWriteOf(s)?.field === 'components');
    expect(fieldWriteOf(component)?.value).toBe('Billing');
    // The evidence: the issue's words that point to Billing, in the suggestion the panel shows.
    expect(component?.decision.reason).toMatch(/words behind it: components Billing: .*(refund|invoice|charged)/);
    expect(component?.decision.reason).not.toMatch(/morning/);
  });

  it("acts where the model's calibrated act line clears the charter's, under the setField dial on automate", async () => {
    seedHistory(390);
    await saveCharterYaml(
      CHARTER('').replace(
        'autonomy: { default: assist }',
        'autonomy: { default: assist, kinds: { setField: automate } }',
      ),
      NOW,
    );
    await train();
    const trained = await loadTrainedRouter(createBatonStorage(), 'SUP');
    const model = trained!.models[0]!;
    expect(model.thresholds.act).not.toBeNull();
    // Written as the project's Billing issues are (the model has seen such words many times).
    const key = fileNew('invoice refund payment', 'SUP-900', 'charged receipt vat');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key) as never);
    expect(h.sim.store.get(key).components).toEqual(['Billing']);
    // A text the model knows nothing of stays below the suggest line: nothing written, nothing suggested.
    const vague = fileNew('Question', 'SUP-950');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', vague) as never);
    expect(h.sim.store.get(vague).components).toEqual([]);
    expect(suggestionsOf(vague).some((s) => kindsOf(s).includes('setField'))).toBe(false);
  });

  it('keeps pages of non-Latin text within the value limit (bytes, not characters)', async () => {
    const words = ['счёт', 'оплата', 'возврат', 'пароль', 'вход', 'отчёт'];
    for (let i = 0; i < 120; i++)
      h.sim.store.insert({
        key: `SUP-${300 + i}`,
        summary: `${words[i % 6]} ${words[(i + 3) % 6]}`,
        description: Array.from({ length: 300 }, (_, k) => words[(i + k) % 6]).join(' '),
        status: 'Done',
        reporter: 'u-cust',
        assignee: i % 2 === 0 ? 'u-linus' : 'u-grace',
        components: [i % 2 === 0 ? 'Billing' : 'Login'],
        created: new Date(NOW - (200 - i) * 3_600_000).toISOString(),
      });
    await saveCharterYaml(CHARTER(), NOW);
    await train();
    const run = await routerTrainRun(createBatonStorage(), 'SUP');
    expect(run?.status, run?.error).toBe('done');
  });

  it('without a trained model the same issue gets no component suggestion (the charter has no keyword rules)', async () => {
    await saveCharterYaml(CHARTER(), NOW);
    const key = fileNew('Refund for an invoice charged twice');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key) as never);
    expect(suggestionsOf(key).some((s) => kindsOf(s).includes('setField'))).toBe(false);
  });

  it('a project with too few resolved issues fails the run with core’s reason, and the router goes on without a model', async () => {
    await saveCharterYaml(CHARTER(), NOW);
    await train();
    const run = await routerTrainRun(createBatonStorage(), 'SUP');
    expect(run?.status).toBe('failed');
    expect(run?.error).toMatch(/\S/);
    expect(await loadTrainedRouter(createBatonStorage(), 'SUP')).toBeUndefined();
  });

  it('the skills history reaches the owner step: a team with no declared skills gets the person who resolved such issues', async () => {
    seedHistory(90);
    await saveCharterYaml(
      CHARTER(`routing:
  teams:
    - { id: desk, members: [{ id: u-ada }, { id: u-grace }, { id: u-linus }] }
  ownership:
    - { id: desk, when: {}, team: desk }`),
      NOW,
    );
    const before = fileNew('Refund for an invoice charged twice', 'SUP-901');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', before) as never);
    // No history: ties by id (u-ada).
    expect(assigneeOf(suggestionsOf(before).find((s) => kindsOf(s).includes('assign')))).toBe('u-ada');
    await train();
    const after = fileNew('Refund for an invoice charged twice', 'SUP-902');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', after) as never);
    const assign = suggestionsOf(after).find((s) => kindsOf(s).includes('assign'));
    expect(assigneeOf(assign)).toBe('u-linus');
    expect(assign?.decision.reason).toMatch(/words behind it: components Billing/);
  });

  it("counts the load of every member the charter's teams name, not only the first ten", async () => {
    const members = [...Array.from({ length: 11 }, (_, i) => `u-m${String(i + 1).padStart(2, '0')}`), 'u-linus'];
    await saveCharterYaml(
      CHARTER(`routing:
  classify:
    - { field: components, label: Billing, keywords: [invoice] }
  teams:
    - id: desk
      members: [${members.map((m) => `{ id: ${m}${m === 'u-linus' ? ', skills: [Billing]' : ''} }`).join(', ')}]
  ownership:
    - { id: desk, when: {}, team: desk }`),
      NOW,
    );
    const key = fileNew('Refund for an invoice charged twice', 'SUP-903');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key) as never);
    expect(assigneeOf(suggestionsOf(key).find((s) => kindsOf(s).includes('assign')))).toBe('u-linus');
  });

  it('a router suggestion overridden in the panel is training signal: the issue weighs more in the next training', async () => {
    seedHistory(90);
    await saveCharterYaml(CHARTER(), NOW);
    await train();
    const key = fileNew('Refund for an invoice charged twice', 'SUP-904');
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key) as never);
    const s = suggestionsOf(key).find((x) => kindsOf(x).includes('setField'))!;
    const over = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: key, suggestionKey: s.key, verdict: 'override', reason: { code: 'other', text: 'it is Login' } },
      'u-ada',
    );
    expect(over).toMatchObject({ ok: true, data: { outcome: 'overridden' } });
    // The person files it where it belongs, and resolves it: the next training counts it as an override.
    h.sim.store.edit(key, { components: ['Login'], status: 'Done', assignee: 'u-grace' }, 'u-ada');
    h.sim.store.flushIndex();
    await train();
    const run = await routerTrainRun(createBatonStorage(), 'SUP');
    expect(run?.status).toBe('done');
    const stored = (await createBatonStorage().getJson('router-model:SUP:overrides')) as { keys: string[] };
    expect(stored.keys).toEqual([]);
    expect((await loadTrainedRouter(createBatonStorage(), 'SUP'))?.models[0]?.trainedOn.overrides).toBe(1);
  });

  it('retrains on the schedule when the model is old, and after enough overrides', async () => {
    seedHistory(60);
    await saveCharterYaml(CHARTER(), NOW);
    const deps = forgeDeps();
    // The daily trigger starts the first training (no model yet) on the queue.
    await routerRetrain();
    expect(h.queued.map((e) => (e.body as { kind: string }).kind)).toContain('router-train');
    expect((await routerTrainRun(createBatonStorage(), 'SUP'))?.reason).toBe('schedule');
    await drain();
    expect(await retrainIfDue(deps, 'SUP')).toBeUndefined();
    // A week later the schedule retrains.
    vi.setSystemTime(NOW + 7 * 86_400_000);
    expect((await retrainIfDue(forgeDeps(), 'SUP'))?.reason).toBe('schedule');
    await drain();
    vi.setSystemTime(NOW);
    for (let i = 0; i < 19; i++) await noteRouterOverride(deps, `SUP-${100 + i}`);
    expect(h.queued).toHaveLength(0);
    await noteRouterOverride(deps, 'SUP-119');
    expect((await routerTrainRun(createBatonStorage(), 'SUP'))?.reason).toBe('20 overrides');
    await drain();
    const retrained = await loadTrainedRouter(createBatonStorage(), 'SUP');
    expect(retrained?.examples).toBe(60);
  });
});
