import { describe, expect, it } from 'vitest';
import { progressText } from './run-analysis.ts';

describe('progressText', () => {
  it('says how far, how many cases and events, how fast and for how long', () => {
    expect(progressText('log.xes.gz', 37, 55_000, 210_000, 4_400)).toBe(
      'reading log.xes.gz   37%  55,000 cases  210,000 events  47,727 events/s  4.4 s',
    );
    expect(progressText('log.csv', 0, 0, 0, 0)).toBe('reading log.csv    0%  0 cases  0 events  0 events/s  0.0 s');
  });
});
