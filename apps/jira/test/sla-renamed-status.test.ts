import { describe, expect, it, vi } from 'vitest';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import { onIssueEvent } from '../src/index.ts';
import { NOW, saveCharterYaml, statusItem } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * A past status the charter's workflow map does not name, because it was renamed (or deleted) since.
 * Jira's changelog keeps the status's id and the name it had then; the app reads the id against
 * `GET /rest/api/3/status`, so a renamed status counts under its name today (by status and by phase),
 * and only a status Jira no longer lists is read by its recorded name. Support-desk seed, Monday 12:00
 * UTC, business hours 09:00–17:00.
 */
const HOUR = 3_600_000;
const CHARTER = `
version: 2
scope: { projects: [SUP] }
slaGoals:
  - id: by-status
    target: 3d
    pause: [{ on: status, in: [Waiting for customer] }]
  - id: by-phase
    target: 3d
    pause: [{ on: phase, in: [waiting] }]
`;

let h: ForgeHarness;
useForgeHarness(async (started) => {
  h = started;
  await saveCharterYaml(CHARTER);
});

const ago = (hours: number) => new Date(NOW - hours * HOUR).toISOString();

async function elapsedOf(key: string): Promise<Record<string, number>> {
  await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key));
  const state = IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
  return Object.fromEntries(state.sla.map((c) => [c.goal, c.elapsedMs]));
}

const statusReads = () => h.sim.requests.filter((r) => r.path === '/rest/api/3/status').length;

describe('a past status the workflow map does not name (renamed or deleted since)', () => {
  it('reads a renamed status by its id: the hour it waited under its old name pauses both clocks', async () => {
    // SUP-60, created today 09:00. From 10:00 to 11:00 it waited for the customer in status 10001, then
    // called "Customer action"; an admin has since renamed it "Waiting for customer".
    h.sim.store.insert({
      key: 'SUP-60',
      summary: 'Refund for a double charge',
      issuetype: 'Service request',
      status: 'To Do',
      reporter: 'u-cust',
      created: ago(3),
    });
    h.sim.store.renameStatus('10001', 'Customer action');
    vi.setSystemTime(NOW - 2 * HOUR);
    h.sim.store.transition('SUP-60', '31', 'u-ada'); // Wait for customer
    vi.setSystemTime(NOW - HOUR);
    h.sim.store.transition('SUP-60', '21', 'u-ada'); // Start work
    h.sim.store.renameStatus('10001', 'Waiting for customer');
    vi.setSystemTime(NOW);
    // The changelog says what Jira recorded then.
    expect(h.sim.store.get('SUP-60').histories[0]?.items[0]).toMatchObject({
      to: '10001',
      toString: 'Customer action',
    });

    expect(await elapsedOf('SUP-60')).toEqual({ 'by-status': 2 * HOUR, 'by-phase': 2 * HOUR });
    // Jira's statuses are kept an hour in app storage: the next event does not ask again.
    expect(statusReads()).toBe(1);
    await elapsedOf('SUP-60');
    expect(statusReads()).toBe(1);
  });

  it('reads a deleted status by its recorded name only', async () => {
    insertOnHold();
    expect(await elapsedOf('SUP-61')).toEqual({ 'by-status': 3 * HOUR, 'by-phase': 2 * HOUR });
  });

  it('asks Jira nothing when the workflow map names every status the history holds', async () => {
    insertOnHold();
    await saveCharterYaml(
      `${CHARTER}workflow:\n  states:\n    To Do: { phase: queue }\n    Waiting for customer: { phase: waiting, waitingReason: customer }\n    On hold: { phase: waiting, waitingReason: internal }\n`,
    );
    expect(await elapsedOf('SUP-61')).toEqual({ 'by-status': 3 * HOUR, 'by-phase': 2 * HOUR });
    expect(statusReads()).toBe(0);
  });
});

/** SUP-61 spent 10:00–11:00 in "On hold" (id 10099), a status deleted since: its name says waiting. */
function insertOnHold(): void {
  h.sim.store.insert({
    key: 'SUP-61',
    summary: 'Printer queue stuck',
    issuetype: 'Incident',
    status: 'In Progress',
    reporter: 'u-cust',
    created: ago(3),
    histories: [
      { author: 'u-ada', created: ago(2), items: [statusItem(['10000', 'To Do'], ['10099', 'On hold'])] },
      { author: 'u-ada', created: ago(1), items: [statusItem(['10099', 'On hold'], ['3', 'In Progress'])] },
    ],
  });
}
