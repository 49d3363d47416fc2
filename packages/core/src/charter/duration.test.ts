import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it('reads business durations', () => {
    expect(parseDuration('8h')).toBe(8 * 3_600_000);
    expect(parseDuration('3d')).toBe(24 * 3_600_000);
    expect(parseDuration('2d4h')).toBe(20 * 3_600_000);
    expect(parseDuration('1w')).toBe(40 * 3_600_000);
    expect(parseDuration('30m')).toBe(1_800_000);
  });
  it('rejects anything else', () => {
    for (const bad of ['', '0h', '3 days', 'h', '4h2d', '-1h', '1.5h']) expect(parseDuration(bad)).toBeUndefined();
  });
  it('formats back what it parses', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        (minutes) => parseDuration(formatDuration(minutes * 60_000)) === minutes * 60_000,
      ),
    );
  });
});
