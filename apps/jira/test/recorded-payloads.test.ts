import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JiraClient } from '@baton/jira';
import { describe, expect, it } from 'vitest';
import { readIssue } from '../src/app/read-issue.ts';
import { CharterSchema } from '../src/contracts/charter.ts';
import { coreCalendar, businessMsBetween } from '../src/domain/app-calendar.ts';
import { factsAt } from '../src/domain/facts-at.ts';
import { handoffPacket, packetView } from '../src/domain/packet-view.ts';
import { slaClocks } from '../src/domain/sla.ts';
import { trustScore } from '../src/domain/trust-score.ts';
import { watchdogDecisions } from '../src/domain/watchdog-rules.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
/** Only `getIssue` is read by `readIssue`: the recorded response is served as Jira served it. */
const recorded = (raw: unknown): JiraClient => ({ getIssue: async () => raw }) as unknown as JiraClient;

const charter = CharterSchema.parse({
  projects: ['BBCOM'],
  autonomy: { nudge: 'automate' },
  slaGoals: [{ name: 'resolution', priorities: ['Highest'], target: '5d' }],
});
// Monday 24 December 2018, 12:00 UTC: five days after the last comment on the recorded issue.
const NOW = Date.UTC(2018, 11, 24, 12, 0);

describe('recorded Jira payloads through mapIssue and core', () => {
  it('a real Jira issue with comments: mapped by mapIssue, SLA breached, core’s watchdog nudges the assignee about the stall and the breach', async () => {
    const issue = await readIssue(recorded(fixture('jira-to-matrix-issue.json')), 'BBCOM-1398', charter);
    expect(issue).toMatchObject({ key: 'BBCOM-1398', status: 'К выполнению', phase: 'queue', assignee: '5b912f5c8a96e82b9549361c', priority: 'Highest' });
    expect(issue.record.events.map((e) => e.kind)).toEqual(['created', 'comment', 'comment', 'comment']);
    // Created Wed 5 Dec 11:32 UTC; five 8-hour days later (09:00–17:00 UTC) is Wed 12 Dec 11:32: when it breached.
    expect(slaClocks(issue, charter, NOW)).toEqual([expect.objectContaining({ goal: 'resolution', state: 'breached', dueAt: Date.UTC(2018, 11, 12, 11, 32, 11, 571) })]);
    const decisions = watchdogDecisions(issue, [], charter, NOW);
    expect(decisions.map((d) => [d.pattern, d.kind, d.proposal.to])).toEqual([
      ['watchdog', 'nudge', '5b912f5c8a96e82b9549361c'],
      ['watchdog', 'nudge', '5b912f5c8a96e82b9549361c'],
    ]);
    expect(decisions[0]?.summary).toMatch(/idle in К выполнению/);
    expect(decisions[1]?.summary).toMatch(/SLA resolution breached/);
    // Keys are core's idempotency keys: the same situation tomorrow proposes the same keys.
    expect(watchdogDecisions(issue, [], charter, NOW + 86_400_000).map((d) => d.key)).toEqual(decisions.map((d) => d.key));
    const packet = packetView(handoffPacket(issue, charter, slaClocks(issue, charter, NOW), NOW));
    expect(packet.definitionOfReady).toEqual([
      { item: 'owner assigned', present: true },
      { item: 'priority set', present: true },
    ]);
    expect(packet.risks.join(' ')).toMatch(/SLA|breach/i);
  });

  it("a recorded issue against its status's definition of ready: custom fields read from Jira's fields, empty ones missing", async () => {
    const withReady = CharterSchema.parse({ ...charter, workflow: { 'К выполнению': { phase: 'queue', ready: ['customfield_10019', 'customfield_10030', 'duedate', 'assignee'] } } });
    const issue = await readIssue(recorded(fixture('jira-to-matrix-issue.json')), 'BBCOM-1398', withReady);
    // The recording: customfield_10019 (rank) is set, customfield_10030 is null, no due date, an assignee.
    expect(packetView(handoffPacket(issue, withReady, [], NOW)).definitionOfReady).toEqual([
      { item: 'customfield_10019 set', present: true },
      { item: 'customfield_10030 set', present: false },
      { item: 'due date set', present: false },
      { item: 'owner assigned', present: true },
    ]);
  });

  it('the past of a recorded issue: before creation nothing, on the first day no stall', async () => {
    const issue = await readIssue(recorded(fixture('jira-to-matrix-issue.json')), 'BBCOM-1398', charter);
    expect(factsAt(issue, issue.created - 1)).toBeUndefined();
    const dayOne = factsAt(issue, issue.created + 3_600_000)!;
    expect(dayOne.record.events.map((e) => e.kind)).toEqual(['created']);
    expect(watchdogDecisions(dayOne, [], charter, issue.created + 3_600_000)).toEqual([]);
  });

  it('a v3 issue with an ADF description and no changelog maps; a payload that is not an issue fails with its path', async () => {
    const issue = await readIssue(recorded(fixture('jira-cli-issue.json')), 'TEST-1', charter);
    expect(issue).toMatchObject({ key: 'TEST-1', status: 'To Do', statusChanges: [], assigneeChanges: [] });
    await expect(readIssue(recorded({ key: 'X-1', fields: { created: 'yesterday' } }), 'X-1', charter)).rejects.toThrow(/X-1 could not be read/);
  });
});

describe('adapters over core', () => {
  it('the app calendar (fixed offset, one window) in core’s engine equals the window walked by hand', () => {
    const cal = CharterSchema.parse({ calendar: { utcOffsetMinutes: 330, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } }).calendar;
    expect(coreCalendar(cal).timeZone).toBe('UTC');
    // Monday 09:00 IST is 03:30 UTC; Friday 17:00 IST is 11:30 UTC: one working week.
    const mon = Date.UTC(2026, 10, 23, 3, 30);
    expect(businessMsBetween(mon, mon + 4 * 86_400_000 + 8 * 3_600_000, cal)).toBe(40 * 3_600_000);
    // Sunday evening UTC is Monday morning in UTC+14: the shifted window starts the day before.
    const kiribati = CharterSchema.parse({ calendar: { utcOffsetMinutes: 840 } }).calendar;
    expect(businessMsBetween(Date.UTC(2026, 10, 22, 19, 0), Date.UTC(2026, 10, 22, 20, 0), kiribati)).toBe(3_600_000);
  });

  it('trust from audit rows is core’s trustScore summed over patterns', () => {
    const row = (outcome: 'executed' | 'accepted' | 'overridden' | 'dropped', pattern: string, code?: 'wrong-owner') => ({
      id: `${outcome}-${pattern}`,
      decisionKey: `k-${pattern}`,
      issueKey: 'SUP-1',
      at: 0,
      pattern,
      kind: 'assign',
      outcome,
      reason: '',
      actor: 'u-ada',
      ...(code ? { overrideReason: { code, text: '' } } : {}),
    });
    expect(trustScore([row('accepted', 'router'), row('overridden', 'watchdog', 'wrong-owner'), row('executed', 'router'), row('dropped', 'router')])).toEqual({
      acceptance: 0.5,
      accepted: 1,
      overridden: 1,
      executed: 1,
      overrideReasons: { 'wrong-owner': 1 },
    });
    expect(trustScore([]).acceptance).toBeNull();
  });
});
