import { describe, expect, it } from 'vitest';
import { isStatusChase } from '../src/text/status-chase.ts';
import { readStatusChaseSample } from './status-chase-sample.ts';

function score(which: 'tuning' | 'heldout') {
  const rows = readStatusChaseSample(which);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    const flagged = isStatusChase(r.text);
    if (flagged && r.isChase) tp++;
    else if (flagged) fp++;
    else if (r.isChase) fn++;
  }
  return { rows: rows.length, chases: tp + fn, precision: tp / (tp + fp), recall: tp / (tp + fn) };
}

// Floors sit just under the figures published in the README (measured on these hand-labelled
// samples of real Appcelerator comments), so a regression in the rules fails here.
describe('isStatusChase on hand-labelled real comments', () => {
  it('tuning sample (400 comments, 50 chases): precision ≥ 0.95, recall ≥ 0.9', () => {
    const s = score('tuning');
    expect([s.rows, s.chases]).toEqual([400, 50]);
    expect(s.precision).toBeGreaterThanOrEqual(0.95);
    expect(s.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('held-out sample (200 comments, 22 chases, labelled after the rules were frozen): precision ≥ 0.85, recall ≥ 0.7', () => {
    const s = score('heldout');
    expect([s.rows, s.chases]).toEqual([200, 22]);
    expect(s.precision).toBeGreaterThanOrEqual(0.85);
    expect(s.recall).toBeGreaterThanOrEqual(0.7);
  });
});
