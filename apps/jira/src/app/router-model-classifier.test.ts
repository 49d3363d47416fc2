import { describe, expect, it } from 'vitest';
import { onCharterScale } from './router-model-classifier.ts';

// A trained model's probability on the charter's confidence scale, by the model's calibrated lines.
const LINES = { act: 0.9, suggest: 0.5 };
const model = (act: number | null, suggest: number | null) => ({ thresholds: { act, suggest } });

describe('onCharterScale', () => {
  it("reaches the charter's act line exactly at the model's act line, and stays above it beyond", () => {
    expect(onCharterScale(0.72, model(0.72, 0.4), LINES)).toBeCloseTo(0.9);
    expect(onCharterScale(0.86, model(0.72, 0.4), LINES)).toBeGreaterThan(0.9);
    expect(onCharterScale(1, model(0.72, 0.4), LINES)).toBeCloseTo(1);
  });

  it("lies between the charter's suggest and act lines between the model's lines", () => {
    expect(onCharterScale(0.4, model(0.72, 0.4), LINES)).toBeCloseTo(0.5);
    const mid = onCharterScale(0.56, model(0.72, 0.4), LINES);
    expect(mid).toBeGreaterThan(0.5);
    expect(mid).toBeLessThan(0.9);
  });

  it("stays under the charter's suggest line below the model's suggest line", () => {
    expect(onCharterScale(0.39, model(0.72, 0.4), LINES)).toBeLessThan(0.5);
  });

  it('never clears the act line for a model that was never 90 % precise on held-out issues', () => {
    expect(onCharterScale(0.99, model(null, 0.3), LINES)).toBeLessThan(0.9);
    expect(onCharterScale(0.99, model(null, 0.3), LINES)).toBeGreaterThanOrEqual(0.5);
    expect(onCharterScale(0.99, model(null, null), LINES)).toBeLessThan(0.5);
  });
});
