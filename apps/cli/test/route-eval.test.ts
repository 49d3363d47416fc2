import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_MODEL_BYTES,
  ROUTING_TARGETS,
  evaluateRanker,
  predict,
  toModelFile,
  trainMajorityBaseline,
  trainRouterModel,
  type RouterModel,
  type RoutingInput,
  type RoutingTarget,
  type TrainingExample,
} from '@baton/core/classify';
import { loadLabelledFile } from '../src/commands/route-eval-input.ts';
import { runCli } from '../src/run.ts';
import { captureIo } from './capture-io.ts';

const SAMPLE = join(import.meta.dirname, 'fixtures', 'appcelerator-sample.jsonl.gz');
const SPLIT = Date.parse('2016-01-01T00:00:00Z');
const inputs = (await loadLabelledFile(SAMPLE)).inputs;

function examples(target: RoutingTarget, keep: (i: RoutingInput) => boolean): TrainingExample[] {
  return inputs.filter(keep).flatMap((input) => {
    const label = target.label(input);
    return label === undefined ? [] : [{ input, label }];
  });
}

function trainAndTest(target: RoutingTarget) {
  const train = examples(target, (i) => (i.createdAt ?? 0) < SPLIT);
  const test = examples(target, (i) => (i.createdAt ?? 0) >= SPLIT);
  // 2^16 buckets, the default.
  const result = trainRouterModel(train, target, [], { bits: 16 });
  if (!result.ok) throw new Error(result.issues[0]!.message);
  const model: RouterModel = result.value;
  const ranker = { name: 'model', classes: model.linear.classes, predict: (i: RoutingInput) => predict(model, i) };
  const positiveLabel = target.name === 'needsinfo' ? 'needs-info' : undefined;
  const options = positiveLabel === undefined ? { threshold: 0.6 } : { threshold: 0.6, positiveLabel };
  return {
    model,
    train,
    test,
    ours: evaluateRanker(ranker, test, options),
    majority: evaluateRanker(trainMajorityBaseline(train), test, options),
  };
}

// Real issues: a committed 2,565-issue sample of the Appcelerator export, split by creation date
// (train before 2016, test 2016–2017). Margins sit well under what the model reaches on this sample
// (component: 54% vs 19% top-1; needsinfo AUC 0.81) but far above what a model that ignores its
// input can reach, so a broken featurizer or trainer fails them.
describe('router model on real Appcelerator issues (time split)', () => {
  it('component: top-1 beats the majority class by at least 20 points', () => {
    const r = trainAndTest(ROUTING_TARGETS.component);
    expect(r.test.length).toBeGreaterThan(250);
    expect(r.ours.metrics.top1).toBeGreaterThan(r.majority.metrics.top1 + 0.2);
    expect(r.ours.metrics.top3).toBeGreaterThan(r.majority.metrics.top3 + 0.15);
  });

  it('needs-info: ranks issues that ended "Needs more info"/"Cannot Reproduce" with AUC ≥ 0.7', () => {
    const r = trainAndTest(ROUTING_TARGETS.needsinfo);
    expect(r.ours.auc).toBeGreaterThanOrEqual(0.7);
    expect(r.majority.auc).toBe(0.5);
  });

  it('issuetype: top-3 beats the majority ranking by at least 5 points', () => {
    const r = trainAndTest(ROUTING_TARGETS.issuetype);
    expect(r.ours.metrics.top3).toBeGreaterThan(r.majority.metrics.top3 + 0.05);
  });

  it('keeps a 2^18-bucket model file within the 2 MB budget', () => {
    const train = examples(ROUTING_TARGETS.priority, () => true);
    const result = trainRouterModel(train, ROUTING_TARGETS.priority, [], { calibrationShare: 0, bits: 18 });
    if (!result.ok) throw new Error(result.issues[0]!.message);
    // The budget: small enough for a Forge storage entity set and a browser extension bundle.
    expect(JSON.stringify(toModelFile(result.value)).length).toBeLessThanOrEqual(DEFAULT_MAX_MODEL_BYTES);
  });
});

// A small balanced set: 500 each of High, Medium and Low priority (real issues, 2011–2014). Its newest
// tenth holds 96 High, 54 Medium and no Low, so calibrating on that slice alone ran the temperature to
// its e^4 bound (uniform predictions: no suggest line, no act line); cross-fitting consecutive time
// blocks (whose mixes run from 4 % to 50 % High as the tracker's priorities drifted) held out 37 % right
// and still reached no act line. Interleaved folds calibrate on every era's mix.
describe('router calibration on a small balanced 3-class set', () => {
  const BALANCED = join(import.meta.dirname, 'fixtures', 'jira-export', 'appcelerator-priority-balanced-1500.jsonl.gz');
  const load = async () =>
    (await loadLabelledFile(BALANCED)).inputs.flatMap((input) => {
      const label = ROUTING_TARGETS.priority.label(input);
      return label === undefined ? [] : [{ input, label }];
    });

  it('fits the temperature on held-out scores of every fold, off its bound, with suggest and act lines', async () => {
    const balanced = await load();
    expect(balanced).toHaveLength(1500);
    const result = trainRouterModel(balanced, ROUTING_TARGETS.priority, [], { bits: 16 });
    if (!result.ok) throw new Error(result.issues[0]!.message);
    const model = result.value;
    expect(model.linear.temperature).toBeLessThan(Math.exp(4) / 2);
    expect(model.calibration.count).toBe(1500);
    expect(model.calibration.ece).toBeLessThan(0.05);
    expect(model.thresholds.suggest).not.toBeNull();
    expect(model.thresholds.act).not.toBeNull();
    // Confidence tracks accuracy: the most confident held-out bin is right more often than the least.
    const bins = model.calibration.bins.filter((b) => b.count >= 20);
    expect(bins.length).toBeGreaterThanOrEqual(2);
    expect(bins[bins.length - 1]!.accuracy).toBeGreaterThan(bins[0]!.accuracy + 0.1);
  });

  it('prints a non-empty act line in route-eval’s report on the same set', async () => {
    const c = captureIo();
    expect(
      await runCli(['route-eval', '--train', BALANCED, '--split-date', '2014-01-01', '--field', 'priority'], c.io),
    ).toBe(0);
    // Before interleaved folds the line read "act ≥ none (90% precision)": the router would never act.
    const line = /act ≥ (\S+) \(90% precision\), suggest ≥ (\S+) \(60%\)/.exec(c.out());
    expect(line).not.toBeNull();
    const [act, suggest] = [Number(line![1]), Number(line![2])];
    expect(act).toBeGreaterThan(1 / 3);
    expect(act).toBeLessThanOrEqual(1);
    expect(suggest).toBeLessThan(act);
  });

  it('keeps its word on issues it never saw: the 0.6 line is reached, and right as often as it claims', async () => {
    // Every fifth issue by creation time is kept out of training and calibration altogether.
    const balanced = byCreationTime(await load());
    const unseen = balanced.filter((_, i) => i % 5 === 2);
    const train = balanced.filter((_, i) => i % 5 !== 2);
    const result = trainRouterModel(train, ROUTING_TARGETS.priority, [], { bits: 16 });
    if (!result.ok) throw new Error(result.issues[0]!.message);
    const model = result.value;
    const top = unseen.map((e) => ({ best: predict(model, e.input)[0]!, label: e.label }));
    const confident = top.filter((t) => t.best.probability >= 0.6);
    // Before: no prediction reached 0.6 (coverage 0 %). Now the model commits on part of the set,
    // and where it commits it is right well above the 1-in-3 of a guess (and above its 0.6 claim).
    expect(confident.length).toBeGreaterThanOrEqual(top.length / 20);
    expect(confident.filter((t) => t.best.label === t.label).length / confident.length).toBeGreaterThanOrEqual(0.6);
    const acting = top.filter((t) => t.best.probability >= model.thresholds.act!);
    expect(acting.length).toBeGreaterThan(0);
  });
});

function byCreationTime<T extends { readonly input: RoutingInput }>(xs: readonly T[]): T[] {
  return [...xs].sort(
    (a, b) => (a.input.createdAt ?? 0) - (b.input.createdAt ?? 0) || a.input.id.localeCompare(b.input.id),
  );
}

describe('baton route-eval', () => {
  const dir = mkdtempSync(join(tmpdir(), 'route-eval-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const rows = (n: number, offset = 0) =>
    Array.from({ length: n }, (_, i) => {
      const k = i + offset;
      return k % 2 === 0
        ? `"Gradle build fails ${k}","The android emulator shows an apk error, ""keystore"" missing",android`
        : `"Xcode archive fails ${k}","The ios simulator hangs, cocoapods error",ios`;
    });

  it('evaluates a labelled CSV and prints the model beside both baselines', async () => {
    const train = write('train.csv', ['title,body,label', ...rows(40)].join('\n'));
    const test = write('test.csv', ['title,body,label', ...rows(10, 100)].join('\r\n'));
    const c = captureIo();
    expect(await runCli(['route-eval', '--train', train, '--test', test, '--json'], c.io)).toBe(0);
    const report = JSON.parse(c.out()) as { evaluations: { ranker: string; metrics: { top1: number } }[] };
    expect(report.evaluations.map((e) => e.ranker)).toEqual(['model (softmax)', 'tfidf-centroid', 'majority']);
    expect(report.evaluations[0]!.metrics.top1).toBe(1);
  });

  it('saves a model that names its format version', async () => {
    const train = write('train2.csv', ['title,body,label', ...rows(40)].join('\n'));
    const test = write('test2.csv', ['title,body,label', ...rows(4, 50)].join('\n'));
    const saved = join(dir, 'model.json');
    const c = captureIo();
    expect(await runCli(['route-eval', '--train', train, '--test', test, '--save-model', saved], c.io)).toBe(0);
    expect(c.out()).toContain('model saved to');
    const { readFileSync } = await import('node:fs');
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ format: 'baton-router-model', version: 1 });
  });

  it('names labels the training data never had', async () => {
    const train = write('train3.csv', ['title,body,label', ...rows(40)].join('\n'));
    const test = write(
      'test3.csv',
      ['title,body,label', ...rows(4), '"Windows phone tile","broken",windows'].join('\n'),
    );
    const c = captureIo();
    expect(await runCli(['route-eval', '--train', train, '--test', test], c.io)).toBe(0);
    expect(c.out()).toMatch(/1 test issues \(20\.0%\) carry labels the model never learned: windows \(1\)/);
  });

  it.each([
    ['empty text', 'title,body,label\n"ok","fine",a\n"","",b\n', /bad1\.csv:3: empty text/],
    ['an empty label', 'title,body,label\n"ok","fine",\n', /bad2\.csv:2: empty label/],
    ['a missing column', 'title,label\n"ok",a\n', /bad3\.csv:1: CSV header lacks body/],
    [
      'a quote that never closes',
      'title,body,label\n"ok","fine",a\n"never closed,x,b\n',
      /bad4\.csv:3: a quoted field is not closed/,
    ],
  ])('rejects a CSV with %s, naming file and line', async (_what, text, message) => {
    const name = `bad${String(message).match(/bad(\d)/)![1]}.csv`;
    const file = write(name, text);
    const c = captureIo();
    expect(await runCli(['route-eval', '--train', file, '--test', file], c.io)).toBe(1);
    expect(c.err()).toMatch(message);
  });

  it('rejects a JSONL line that is not JSON or not a Jira issue, naming file and line', async () => {
    const good = JSON.stringify({ key: 'A-1', fields: { summary: 'x', created: '2015-01-01T00:00:00.000+0000' } });
    const notJson = write('bad.jsonl', `${good}\n{oops\n`);
    const c = captureIo();
    expect(
      await runCli(['route-eval', '--train', notJson, '--split-date', '2015-06-01', '--field', 'component'], c.io),
    ).toBe(1);
    expect(c.err()).toMatch(/bad\.jsonl:2: not valid JSON/);
    const notIssue = write('bad2.jsonl', `${good}\n{"key":"A-2"}\n`);
    const c2 = captureIo();
    expect(
      await runCli(['route-eval', '--train', notIssue, '--split-date', '2015-06-01', '--field', 'component'], c2.io),
    ).toBe(1);
    expect(c2.err()).toMatch(/bad2\.jsonl:2: not a Jira issue/);
  });

  it('explains usage errors: unknown field, missing split, unreadable file', async () => {
    const c = captureIo();
    expect(
      await runCli(['route-eval', '--train', SAMPLE, '--split-date', '2016-01-01', '--field', 'colour'], c.io),
    ).toBe(2);
    expect(c.err()).toMatch(/--field must be one of component, priority, issuetype, assignee, needsinfo, got 'colour'/);
    const c2 = captureIo();
    expect(await runCli(['route-eval', '--train', SAMPLE, '--field', 'component'], c2.io)).toBe(2);
    expect(c2.err()).toMatch(/--split-date/);
    const c3 = captureIo();
    expect(
      await runCli(
        ['route-eval', '--train', join(dir, 'nope.jsonl'), '--split-date', '2016-01-01', '--field', 'component'],
        c3.io,
      ),
    ).toBe(1);
    expect(c3.err()).toMatch(/nope\.jsonl: cannot read \(ENOENT\)/);
  });
});
