import { describe, expect, it } from 'vitest';
import { distributionOf, histogram, quantileSorted, Sample } from './stats.ts';

describe('stats', () => {
  it('interpolates quantiles like R type 7 / numpy', () => {
    // numpy.quantile([1, 2, 3, 4], [0.5, 0.9]) == [2.5, 3.7]
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantileSorted([7], 0.9)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNull();
  });

  it('summarises unsorted values in a unit without changing them', () => {
    const values = [48, 24, 72];
    expect(distributionOf(values, 24)).toMatchObject({ count: 3, mean: 2, p50: 2, max: 3 });
    expect(values).toEqual([48, 24, 72]);
    expect(distributionOf([])).toMatchObject({ count: 0, mean: null, p50: null });
  });

  it('bins by lower edge with an open last bin', () => {
    expect(histogram([0, 0.5, 1, 1.5, 7, 100, -1], [0, 1, 7])).toEqual([3, 2, 2]);
  });

  it('grows a sample', () => {
    const s = new Sample();
    for (let i = 0; i < 200; i++) s.push(i);
    expect(s.length).toBe(200);
    expect(s.values()[199]).toBe(199);
  });
});
