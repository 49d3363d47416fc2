import { describe, expect, it } from 'vitest';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';
import { tickAt } from './live-loop.ts';
import { saveCharterYaml } from './fixtures.ts';

// "Quiet outside business hours" live, on a clock: the charter's `caps.quietOutsideBusinessHours` (on by
// default) holds the watchdog's nudges outside the default calendar's working hours, and the due-time
// index brings the issue back when they start, so the nudge goes then, once. SUP-4 of the support desk
// has sat in "In Progress" since Thursday noon, beyond a one-business-day norm.

const HOUR = 3_600_000;
/** Monday 23 November 2026, 20:00 UTC: after the working day (the seed's issues are dated from Monday noon). */
const MONDAY_EVENING = Date.UTC(2026, 10, 23, 20);
/** Tuesday 24 November 2026 at 09:00 UTC, when the default calendar's day starts. */
const TUESDAY_NINE = Date.UTC(2026, 10, 24, 9);

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  { at: MONDAY_EVENING },
);

const charter = (extra = ''): string => `version: 2
scope: { projects: [SUP] }
workflow: { norm: 1d }
autonomy: { default: assist, kinds: { notify: automate } }
confidence: { act: 0.7, suggest: 0.5 }
${extra}`;

/** The stall nudges the app posted on SUP-4. */
const nudges = (): number =>
  h.sim.store
    .get('SUP-4')
    .comments.filter((c) => c.author === 'app-baton' && JSON.stringify(c.body).includes('idle in In Progress')).length;

describe('quiet outside business hours, live', () => {
  it('holds a nudge in the evening and sends it once when the working day starts', async () => {
    await saveCharterYaml(charter());
    await tickAt(MONDAY_EVENING);
    expect(nudges()).toBe(0);
    // Deferred, not dropped: nothing claimed, and the issue is due when the day starts.
    const due = await createBatonStorage().dueBefore(TUESDAY_NINE + 1, 10);
    expect(due.map((d) => [d.issueKey, d.dueAt])).toContainEqual(['SUP-4', TUESDAY_NINE]);
    await tickAt(Date.UTC(2026, 10, 24, 2)); // the night
    await tickAt(TUESDAY_NINE - 5 * 60_000);
    expect(nudges()).toBe(0);
    await tickAt(TUESDAY_NINE);
    expect(nudges()).toBe(1);
    await tickAt(TUESDAY_NINE + HOUR);
    expect(nudges()).toBe(1);
  });

  it("keeps to the charter's calendar, in its own time zone", async () => {
    // Berlin's day starts at 08:00 UTC in November; at 20:00 UTC (21:00 there) it is over.
    await saveCharterYaml(
      charter(`calendars:
  default:
    timeZone: Europe/Berlin
    week: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]], wed: [["09:00", "17:00"]], thu: [["09:00", "17:00"]], fri: [["09:00", "17:00"]] }
`),
    );
    await tickAt(MONDAY_EVENING);
    await tickAt(TUESDAY_NINE - HOUR - 60_000);
    expect(nudges()).toBe(0);
    await tickAt(TUESDAY_NINE - HOUR);
    expect(nudges()).toBe(1);
  });

  it('nudges in the evening when the charter turns the rule off', async () => {
    await saveCharterYaml(charter('caps: { quietOutsideBusinessHours: false }\n'));
    await tickAt(MONDAY_EVENING);
    expect(nudges()).toBe(1);
  });

  it('holds nudges on a weekend until Monday morning', async () => {
    await saveCharterYaml(charter());
    const saturdayNoon = Date.UTC(2026, 10, 28, 12);
    await tickAt(saturdayNoon);
    await tickAt(Date.UTC(2026, 10, 29, 15));
    expect(nudges()).toBe(0);
    await tickAt(Date.UTC(2026, 10, 30, 9));
    expect(nudges()).toBe(1);
  });
});
