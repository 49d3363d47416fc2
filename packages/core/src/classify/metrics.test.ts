import { describe, expect, it } from 'vitest';
import { reliability, thresholdForPrecision, fitTemperature } from './calibration.ts';
import { rankingMetrics, rocAuc } from './metrics.ts';

const r = (...pairs: [string, number][]) => pairs.map(([label, probability]) => ({ label, probability }));

describe('rankingMetrics', () => {
  const predictions = [
    { truth: 'a', ranked: r(['a', 0.9], ['b', 0.1]) },
    { truth: 'a', ranked: r(['b', 0.6], ['a', 0.4]) },
    { truth: 'b', ranked: r(['b', 0.7], ['a', 0.3]) },
    { truth: 'c', ranked: r(['a', 0.5], ['b', 0.3], ['c', 0.2]) },
  ];
  const m = rankingMetrics(predictions, 0.6);

  it('computes top-1, top-3 and coverage/precision at the threshold', () => {
    expect(m.top1).toBe(0.5);
    expect(m.top3).toBe(1);
    expect(m.coverage).toBe(0.75); // 0.9, 0.6, 0.7 reach 0.6
    expect(m.precisionAtThreshold).toBeCloseTo(2 / 3);
  });

  it('computes per-class precision/recall and macro-F1 over truth ∪ predicted labels', () => {
    const a = m.perClass.find((c) => c.label === 'a')!;
    const b = m.perClass.find((c) => c.label === 'b')!;
    expect([a.precision, a.recall]).toEqual([0.5, 0.5]);
    expect([b.precision, b.recall]).toEqual([0.5, 1]);
    expect(m.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0) / 3);
  });

  it('is all zeros on no predictions', () => {
    expect(rankingMetrics([], 0.5)).toMatchObject({ count: 0, top1: 0, coverage: 0, macroF1: 0 });
  });
});

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0.5 for ties, undefined (NaN) with one class', () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(rocAuc([0.1, 0.9, 0.4, 0.6], [false, true, true, false])).toBe(0.75);
    expect(rocAuc([0.1], [true])).toBeNaN();
  });
});

describe('calibration', () => {
  it('reports a reliability table and ECE', () => {
    const t = reliability([0.95, 0.95, 0.55, 0.55], [true, false, true, true], 10);
    expect(t.bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(t.ece).toBeCloseTo(0.5 * 0.45 + 0.5 * 0.45);
  });

  it('finds the lowest confidence that keeps the target precision', () => {
    const conf = [0.9, 0.8, 0.7, 0.6, 0.5];
    const hit = [true, true, true, false, false];
    expect(thresholdForPrecision(conf, hit, 0.9, 1)).toBe(0.7);
    expect(thresholdForPrecision(conf, hit, 0.99, 4)).toBeUndefined();
  });

  it('fits a temperature above 1 for over-confident scores', () => {
    // Scores put 99% on class 0 but it is right only about 60% of the time.
    const scores = Array.from({ length: 100 }, () => Float64Array.from([5, 0]));
    const ys = Array.from({ length: 100 }, (_, i) => (i % 5 < 3 ? 0 : 1));
    expect(fitTemperature(scores, ys)).toBeGreaterThan(3);
  });
});
