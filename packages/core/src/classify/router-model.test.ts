import { describe, expect, it } from 'vitest';
import { measureLine } from './calibration.ts';
import { fromModelFile, MODEL_FORMAT_VERSION, toModelFile } from './model-file.ts';
import { predict, predictTop, trainRouterModel, type TrainingExample } from './router-model.ts';
import { defineTarget } from './targets.ts';
import { createModelClassifier } from './model-classifier.ts';
import type { RoutingInput } from './features.ts';
import { linearModelOf } from './linear-model.ts';
import { rankingDifference, referencePredict } from '../../test/router-reference.ts';

// A small hand-made set: unit behaviour only. Accuracy on real issues is tested in apps/cli/test.
const target = defineTarget({
  name: 'component',
  label: (i) => i.fields['label'] as string,
  featureFields: ['project'],
});
const TOPICS: Record<string, string[]> = {
  Android: ['gradle build fails on android emulator', 'android intent crashes activity', 'apk signing keystore error'],
  iOS: ['xcode archive fails for ios', 'ios simulator launch hangs', 'cocoapods podfile not found on iphone'],
  CLI: ['cli command login prints stack', 'npm install of the cli breaks', 'cli config set rejects value'],
};
const input = (id: number, title: string, label?: string): RoutingInput => ({
  id: `T-${id}`,
  title,
  body: `${title}. Steps to reproduce attached.`,
  createdAt: id * 1000,
  fields: { project: 'TIMOB', ...(label === undefined ? {} : { label }) },
});
const examples: TrainingExample[] = [];
for (let round = 0; round < 8; round++) {
  for (const [label, titles] of Object.entries(TOPICS)) {
    for (const t of titles) examples.push({ input: input(examples.length, `${t} (${round})`, label), label });
  }
}

function train(extra: Parameters<typeof trainRouterModel>[3] = {}, overrides: TrainingExample[] = []) {
  const r = trainRouterModel(examples, target, overrides, { bits: 14, ...extra });
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.value;
}

describe('trainRouterModel', () => {
  const model = train();

  it('learns the topics and ranks every class with probabilities summing to 1', () => {
    const ranked = predict(model, input(999, 'gradle error on android'));
    expect(ranked[0]!.label).toBe('Android');
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1);
    expect(predict(model, input(998, 'xcode simulator hangs'))[0]!.label).toBe('iOS');
  });

  it('is deterministic given the seed', () => {
    expect(train().modelId).toBe(model.modelId);
  });

  it('trains complement naive Bayes behind the same interface', () => {
    const nb = train({ kind: 'cnb' });
    expect(predict(nb, input(997, 'cli login command'))[0]!.label).toBe('CLI');
  });

  it('fails with a clear issue when fewer than two labels can be learned', () => {
    const r = trainRouterModel(examples.slice(0, 2), target);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]!.code).toBe('train.too_few_classes');
  });

  it('measures coverage and precision at its calibrated lines on the held-out predictions', () => {
    const { count, lines } = model.calibration;
    expect(count).toBeGreaterThan(0);
    const held = model.calibration.bins.reduce((n, b) => n + b.count, 0);
    expect(held).toBe(count);
    expect(model.thresholds.suggest).not.toBeNull();
    // At the suggest line the top label was right at least 60 % of the time, on a share of the held-out slice.
    expect(lines?.suggest?.precision).toBeGreaterThanOrEqual(0.6);
    expect(lines?.suggest?.coverage).toBeGreaterThan(0);
    expect(lines?.suggest?.coverage).toBeLessThanOrEqual(1);
    if (model.thresholds.act === null) expect(lines?.act).toBeNull();
    else expect(lines?.act?.precision).toBeGreaterThanOrEqual(0.9);
  });

  it('measureLine: the share at or above a line and how often those were right; null without a line', () => {
    const conf = [0.95, 0.9, 0.8, 0.5, 0.3];
    const right = [true, true, false, true, false];
    expect(measureLine(conf, right, 0.8)).toEqual({ coverage: 0.6, precision: 2 / 3 });
    expect(measureLine(conf, right, 0.9)).toEqual({ coverage: 0.4, precision: 1 });
    expect(measureLine(conf, right, null)).toBeNull();
    expect(measureLine(conf, right, 0.99)).toBeNull();
    expect(measureLine([], [], 0.5)).toBeNull();
  });

  it('lets an override count: a corrected route moves the prediction', () => {
    const text = 'push notification token missing';
    const before = predict(model, input(990, text))[0]!.label;
    const label = before === 'CLI' ? 'iOS' : 'CLI';
    const overrides = [0, 1, 2].map((i) => ({ input: input(980 + i, text, label), label }));
    expect(predict(train({}, overrides), input(990, text))[0]!.label).toBe(label);
  });
});

describe('trainRouterModel on a long history', () => {
  it('calibrates on the newest tenth, then learns it too: a label met only there is predicted', () => {
    // 10,000 older issues of three topics, then 1,200 newer ones where a fourth topic appears.
    const long: TrainingExample[] = [];
    const topics = Object.entries(TOPICS);
    for (let i = 0; i < 10_000; i++) {
      const [label, titles] = topics[i % 3]!;
      long.push({ input: input(i, `${titles[i % titles.length]!} (${i % 50})`, label), label });
    }
    for (let i = 10_000; i < 11_200; i++) {
      const label = i % 4 === 0 ? 'Windows' : topics[i % 3]![0];
      const title =
        label === 'Windows' ? `visual studio winrt build fails (${i % 50})` : `${TOPICS[label]![0]!} (${i % 50})`;
      long.push({ input: input(i, title, label), label });
    }
    const r = trainRouterModel(long, target, [], { bits: 14 });
    if (!r.ok) throw new Error(r.issues[0]!.message);
    // The newest 10 % (1,120 issues) were held out to calibrate: none of the model fitted without them knew Windows.
    expect(r.value.calibration.count).toBe(1120);
    expect(r.value.linear.classes).toContain('Windows');
    expect(predict(r.value, input(20_000, 'winrt build fails in visual studio'))[0]!.label).toBe('Windows');
    expect(predict(r.value, input(20_001, 'gradle error on android'))[0]!.label).toBe('Android');
  });
});

describe('model file', () => {
  const model = train();
  const json = JSON.parse(JSON.stringify(toModelFile(model))) as Record<string, unknown>;

  it('round-trips: a loaded model predicts exactly as the trained one', () => {
    const loaded = fromModelFile(json);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    const probe = input(995, 'ios build fails with gradle');
    expect(predict(loaded.value, probe)).toEqual(predict(model, probe));
    expect(loaded.value.modelId).toBe(model.modelId);
  });

  it('keeps the measured lines, and loads a file written before they were measured', () => {
    const loaded = fromModelFile(json);
    expect(loaded.ok && loaded.value.calibration.lines).toEqual(model.calibration.lines);
    const calibration = json['calibration'] as Record<string, unknown>;
    const { lines: _lines, ...older } = calibration;
    const old = fromModelFile({ ...json, calibration: older });
    expect(old.ok).toBe(true);
    expect(old.ok && old.value.calibration.lines).toBeUndefined();
  });

  it('refuses a model of another format version with a clear message', () => {
    const r = fromModelFile({ ...json, version: MODEL_FORMAT_VERSION + 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.code).toBe('model.version');
      expect(r.issues[0]!.message).toMatch(/version 2 is not supported .* reads version 1/);
    }
  });

  it('refuses something that is not a model, and a truncated one', () => {
    const notModel = fromModelFile({ hello: 1 });
    expect(!notModel.ok && notModel.issues[0]!.code).toBe('model.format');
    const truncated = fromModelFile({ ...json, values: (json['values'] as string).slice(0, 400) });
    expect(!truncated.ok && truncated.issues[0]!.code).toBe('model.corrupt');
  });
});

describe('createModelClassifier', () => {
  it('answers the router port with the queue first and at most 3 labels per field', () => {
    const model = train();
    const classifier = createModelClassifier([model]);
    const out = classifier.classify({
      id: 'T-1',
      source: 'test',
      title: 'gradle build fails on android',
      attributes: { project: 'TIMOB' },
      events: [],
    });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ field: 'component', modelId: model.modelId, modelMade: true });
    expect(out[0]!.ranked.length).toBeLessThanOrEqual(3);
    expect(out[0]!.ranked[0]!.label).toBe('Android');
  });
});

const trainedSpec = () => train().spec;

describe('predict ranking', () => {
  // Equal probabilities are ranked by label (localeCompare), as sorting {label, probability} objects did.
  it('ranks ties in label order and the rest by probability, as the reference does', () => {
    const classes = ['b', 'a', 'Zeta', 'ä', 'A', 'c', 'B', 'alpha', 'Ω', '10', '9', 'x'];
    const k = classes.length;
    // No kept rows: the scores are the biases; four pairs of equal biases make ties.
    const bias = Float32Array.from([0.5, 0.5, -1, 0.5, 2, 2, -1, 0, 0, 3, 0.25, 0.25]);
    const quantized = { rows: new Uint32Array(0), scales: new Float32Array(k).fill(1), values: new Int8Array(0) };
    const model = { linear: linearModelOf(quantized, classes, 8, bias, 1.3), spec: { ...trainedSpec(), bits: 8 } };
    const probe = input(1, 'anything at all');
    const got = predict(model, probe);
    expect(got.map((r) => r.label)).toEqual(referencePredict(model, probe).map((r) => r.label));
    expect(rankingDifference(got, referencePredict(model, probe))).toBeUndefined();
    expect(got.map((r) => r.label).slice(0, 3)).toEqual(['10', 'A', 'c']);
  });

  it('predictTop gives the first n of predict, ties included, for every n', () => {
    // 48 classes (predictTop ranks by insertion below a quarter of them), biases from five values: many ties.
    const base = ['b', 'a', 'Zeta', 'ä', 'A', 'c', 'B', 'alpha', 'Ω', '10', '9', 'x'];
    const classes = [...base, ...base.map((l) => `${l}2`), ...base.map((l) => `é${l}`), ...base.map((l) => `Q${l}`)];
    const k = classes.length;
    const bias = Float32Array.from(classes, (_, i) => [0.5, 2, -1, 0.25, 0][(i * 7) % 5]!);
    const quantized = { rows: new Uint32Array(0), scales: new Float32Array(k).fill(1), values: new Int8Array(0) };
    const model = { linear: linearModelOf(quantized, classes, 8, bias, 1.3), spec: { ...trainedSpec(), bits: 8 } };
    const probe = input(1, 'anything at all');
    const all = predict(model, probe);
    for (let n = 0; n <= k + 2; n++) expect(predictTop(model, probe, n)).toEqual(all.slice(0, n));
    // Ties at the cut: nine classes share the top probability; the top 3 are the first three by label.
    expect(predictTop(model, probe, 3).map((r) => r.label)).toEqual(['ä', 'a2', 'B2']);
    expect(predictTop(model, probe, -1)).toEqual([]);
    expect(predictTop(model, probe, Number.NaN)).toEqual([]);
  });
});
