import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SparseVector } from './features.ts';
import {
  createSoftmaxState,
  DEFAULT_SOFTMAX_OPTIONS,
  keepMostProbable,
  runSoftmaxEpochs,
} from './softmax-regression.ts';

const vector = (indices: number[]): SparseVector => ({
  indices: Int32Array.from(indices),
  values: new Float32Array(indices.length).fill(1 / Math.sqrt(indices.length)),
});

describe('runSoftmaxEpochs', () => {
  it('updates at most 24 classes for an example, its own among them, and scores only those until its next full pass', () => {
    // One example, 30 classes all equally likely at first: 30 would pass the skip rule.
    const k = 30;
    const state = createSoftmaxState(1, k, 8);
    const xs = [vector([3, 7])];
    const ys = Int32Array.of(29);
    const options = { ...DEFAULT_SOFTMAX_OPTIONS, fullEvery: 100 };
    runSoftmaxEpochs(state, xs, ys, Float32Array.of(1), 1, options);
    expect(state.candidateCount[0]).toBe(24);
    const candidates = Array.from(state.candidates.subarray(0, 24));
    expect(candidates).toContain(29);
    const untouched = Array.from({ length: k }, (_, c) => c).filter((c) => !candidates.includes(c));
    expect(untouched).toHaveLength(6);
    for (const c of untouched) expect(state.weights[3 * k + c]).toBe(0);
    expect(state.weights[3 * k + 29]).toBeGreaterThan(0);
    // The second pass is a candidate pass: the classes left out keep their weights and biases.
    const biasBefore = Array.from(state.bias);
    runSoftmaxEpochs(state, xs, ys, Float32Array.of(1), 1, options);
    for (const c of untouched) {
      expect(state.weights[3 * k + c]).toBe(0);
      expect(state.bias[c]).toBe(biasBefore[c]);
    }
    expect(state.bias[29]).toBeGreaterThan(biasBefore[29]!);
    expect(state.seen[0]).toBe(2);
  });

  it('scores every class again on the full pass: a class that grew since is pushed back down', () => {
    const k = 30;
    const state = createSoftmaxState(1, k, 8);
    const xs = [vector([5])];
    const ys = Int32Array.of(0);
    const options = { ...DEFAULT_SOFTMAX_OPTIONS, fullEvery: 2 };
    runSoftmaxEpochs(state, xs, ys, Float32Array.of(1), 1, options);
    const left = Array.from({ length: k }, (_, c) => c).find((c) => !state.candidates.subarray(0, 24).includes(c))!;
    // Another example's updates would raise a class the candidates left out; here, by hand.
    state.weights[5 * k + left] = 3;
    runSoftmaxEpochs(state, xs, ys, Float32Array.of(1), 1, options); // candidate pass: not looked at
    expect(state.weights[5 * k + left]).toBe(3);
    runSoftmaxEpochs(state, xs, ys, Float32Array.of(1), 1, options); // full pass: found and lowered
    expect(state.weights[5 * k + left]).toBeLessThan(3);
    expect(state.candidates.subarray(0, state.candidateCount[0]!)).toContain(left);
  });
});

describe('keepMostProbable', () => {
  it('keeps the true class and the 23 most probable others, as sorting them would (property, bounded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 0.001, 0.01, 0.2, 0.5), { minLength: 25, maxLength: 140 }),
        fc.nat(),
        (ps, pick) => {
          const probs = Float64Array.from(ps);
          const y = pick % ps.length;
          const active = Int32Array.from(ps.keys());
          const expected = [
            y,
            ...Array.from(ps.keys())
              .filter((c) => c !== y)
              .sort((a, b) => ps[b]! - ps[a]! || a - b)
              .slice(0, 23),
          ];
          const n = keepMostProbable(active, ps.length, probs, y, new Int32Array(24));
          expect(Array.from(active.subarray(0, n))).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
