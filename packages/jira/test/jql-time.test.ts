import { describe, expect, it } from 'vitest';
import { jqlWallTime } from '../src/client/jql-time.ts';

describe('jqlWallTime', () => {
  const at = Date.UTC(2026, 10, 30, 12, 0, 45);

  it("writes the instant as wall time in the searching user's zone, floored to the minute", () => {
    expect(jqlWallTime(at, 'UTC')).toBe('2026-11-30 12:00');
    expect(jqlWallTime(at, 'America/New_York')).toBe('2026-11-30 07:00');
    expect(jqlWallTime(at, 'Asia/Kolkata')).toBe('2026-11-30 17:30');
    expect(jqlWallTime(Date.UTC(2026, 10, 30, 23, 30), 'Pacific/Kiritimati')).toBe('2026-12-01 13:30');
  });

  it('without a zone, or with one the runtime does not know, writes a literal early enough in any zone', () => {
    expect(jqlWallTime(at, undefined)).toBe('2026-11-29 22:00');
    expect(jqlWallTime(at, 'Mars/Olympus_Mons')).toBe('2026-11-29 22:00');
  });
});
