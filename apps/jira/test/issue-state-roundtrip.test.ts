import {
  ISSUE_STATE_PROPERTY,
  IssueStateSchema,
  readIssueState,
  slaDisplay,
  worstClock,
} from '@baton/jira/issue-state';
import { describe, expect, it } from 'vitest';
import { onIssueEvent } from '../src/index.ts';
import { saveCoreCharter, supCharter, slaGoal } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

/** The property as a reader gets it from Jira: the JSON the app stored. */
const storedJson = (key: string): unknown =>
  JSON.parse(JSON.stringify(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY)));

describe('baton.state round trip: the app writes, the extension’s reader reads', () => {
  it('the extension’s reader sees exactly what the app wrote: clocks, suggestions, the packet', async () => {
    await saveCoreCharter(supCharter({ slaGoals: [slaGoal('resolution', '3d')] }));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-1', { atlassianId: 'u-cust' }));
    const raw = storedJson('SUP-1');
    const written = IssueStateSchema.parse(raw);
    const read = readIssueState(raw);
    expect(read).toEqual(written);
    expect(read?.suggestions.length).toBeGreaterThan(0);
    expect(read?.packet?.definitionOfReady.length).toBeGreaterThan(0);
    // What the extension's overlay shows for the clock.
    const shown = slaDisplay(worstClock(read?.sla ?? [])!);
    expect(shown.state).toBe('on-track');
    expect(shown.label).toMatch(/^On track · resolution · due \d{4}-\d\d-\d\dT/);
  });

  it('an issue the app never evaluated has no state for the reader', async () => {
    expect(readIssueState(h.sim.store.get('SUP-2').properties.get(ISSUE_STATE_PROPERTY))).toBeUndefined();
  });
});
