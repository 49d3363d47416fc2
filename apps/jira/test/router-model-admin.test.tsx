import { describe, expect, it } from 'vitest';
import { uiResolver, workConsumer } from '../src/index.ts';
import { loadTrainedRouter, startRouterTraining } from '../src/app/router-model.ts';
import type { RouterModelView } from '../src/contracts/router-model.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { forgeDeps } from '../src/handlers/forge-deps.ts';
import { NOW, invokeResolver, saveCoreCharter, supCharter } from './fixtures.ts';
import { consumerEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { installUiKitHost } from './ui-kit.ts';

// Issue #16: the admin sees the router model the queue trained — on what, when, its held-out accuracy
// and the coverage and precision at the act and suggest lines the gate uses — and why a run failed.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const VOCAB = {
  Billing: ['invoice', 'refund', 'charged', 'payment', 'receipt', 'vat'],
  Login: ['password', 'sso', 'locked', 'signin', 'mfa', 'token'],
  Reports: ['export', 'chart', 'csv', 'dashboard', 'pdf', 'totals'],
} as const;
const OWNER = { Billing: 'u-linus', Login: 'u-grace', Reports: 'u-ada' } as const;
const FILLER = ['please', 'help', 'customer', 'since', 'today', 'again', 'urgent', 'team'];

/** `n` resolved SUP issues over three components, a few filed under another component than their words say. */
function seedHistory(n: number): void {
  const comps = Object.keys(VOCAB) as (keyof typeof VOCAB)[];
  for (let i = 0; i < n; i++) {
    const w = VOCAB[comps[i % comps.length]!];
    const c = i % 11 === 4 ? comps[(i + 1) % comps.length]! : comps[i % comps.length]!;
    h.sim.store.insert({
      key: `SUP-${100 + i}`,
      summary: `${w[i % w.length]} ${FILLER[i % FILLER.length]} ${FILLER[(i + 5) % FILLER.length]}`,
      description: `${FILLER[(i + 3) % FILLER.length]} ${[1, 2, 3]
        .slice(0, i % 4)
        .map((k) => w[(i + k) % w.length])
        .join(' ')}`,
      status: 'Done',
      reporter: 'u-cust',
      assignee: OWNER[c],
      components: [c],
      created: new Date(NOW - (n - i) * 3_600_000 - 86_400_000).toISOString(),
    });
  }
}

async function train(): Promise<void> {
  await startRouterTraining(forgeDeps(), 'SUP', 'admin test');
  for (let e = h.queued.shift(); e !== undefined; e = h.queued.shift()) await workConsumer(consumerEvent(e.body));
}

const view = async (who = 'u-grace'): Promise<RouterModelView> => {
  const r = await invokeResolver(uiResolver as never, 'getRouterModel', { projectKey: 'SUP' }, who);
  if (!r.ok) throw new Error(r.error.message);
  return r.data as RouterModelView;
};

describe('admin: the router model', () => {
  it('shows what the model was trained on, when, and its measured accuracy and coverage at its lines', async () => {
    await saveCoreCharter(supCharter());
    seedHistory(240);
    await train();
    // The seeded project already holds resolved issues of its own: every one is a training example.
    const resolved = [...h.sim.store.issues.values()].filter(
      (i) => i.key.startsWith('SUP-') && i.statusId === '10002',
    ).length;
    expect(resolved).toBeGreaterThanOrEqual(240);
    const trained = await loadTrainedRouter(createBatonStorage(), 'SUP');
    const model = trained?.models[0];
    expect(model?.target).toBe('component');

    const v = await view();
    expect(v.run).toMatchObject({ status: 'done', reason: 'admin test', examples: resolved });
    expect(v.model).toMatchObject({ trainedAt: trained?.trainedAt, examples: trained?.examples, overrides: 0 });
    // Read: every resolved issue; learned from: those with a component (the seeded one has none).
    expect(trained?.examples).toBe(240);
    const [t] = v.model?.targets ?? [];
    expect(t).toMatchObject({ target: 'component', labels: 3, modelId: model?.modelId });
    expect(v.model?.people).toBe(trained?.skills.size);
    expect(t?.trainedOn.examples).toBe(model?.trainedOn.examples);
    expect(t?.trainedOn.from).toBe(model?.trainedOn.from);
    // Measured on the held-out predictions: accuracy from the reliability table, the lines from training.
    expect(t?.heldOut).toBe(model?.calibration.count);
    expect(t?.heldOut).toBeGreaterThan(0);
    const hits = model!.calibration.bins.reduce((s, b) => s + b.count * b.accuracy, 0);
    expect(t?.accuracy).toBeCloseTo(hits / model!.calibration.count);
    expect(t?.suggest.line).toBe(model?.thresholds.suggest);
    expect(t?.suggest.line).not.toBeNull();
    expect(t?.suggest.measured?.precision).toBeGreaterThanOrEqual(0.6);
    expect(t?.suggest.measured?.coverage).toBeGreaterThan(0);
    expect(t?.act.line).toBe(model?.thresholds.act);

    const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { RouterModelPanel } = await import('../src/frontend/admin/router-model-panel.tsx');
    await ui.render(<RouterModelPanel projectKey="SUP" />);
    await ui.settle(() => ui.shown().includes('Last training'), 'the router model');
    const shown = ui.shown();
    expect(shown).toContain(
      `on ${trained?.examples} resolved issues; skills history of ${trained?.skills.size} people.`,
    );
    expect(shown).toMatch(/component \(\w+, 3 labels\): \d+ issues, created \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d/);
    expect(shown).toMatch(/held out \d+: top-1 accuracy \d+%, calibration error \d\.\d{3}/);
    expect(shown).toMatch(/suggest line 0\.\d\d: covers \d+% of held-out issues at \d+% precision/);
    expect(shown).toContain(`Last training (admin test): done, ${resolved} issues read`);
    expect(ui.calls.find((c) => c.name === 'getRouterModel')?.payload).toEqual({ projectKey: 'SUP' });
  });

  it('before any training there is no model; a failed run says why', async () => {
    await saveCoreCharter(supCharter());
    expect(await view()).toEqual({ projectKey: 'SUP', model: null, run: null });
    seedHistory(3);
    await train();
    const v = await view();
    expect(v.model).toBeNull();
    expect(v.run?.status).toBe('failed');
    expect(v.run?.error).toMatch(/\S/);
    const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
    const { RouterModelPanel } = await import('../src/frontend/admin/router-model-panel.tsx');
    await ui.render(<RouterModelPanel projectKey="SUP" />);
    await ui.settle(() => ui.shown().includes('Last training'), 'the router model');
    expect(ui.shown()).toContain('No router model for SUP yet');
    expect(ui.shown()).toMatch(/Last training \(admin test\): failed, \d+ issues read, .* — need at least 2 labels/);
  });

  it('is for admins only', async () => {
    await saveCoreCharter(supCharter());
    expect(await invokeResolver(uiResolver as never, 'getRouterModel', { projectKey: 'SUP' }, 'u-ada')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
