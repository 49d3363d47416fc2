import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { businessTimeBetween, DEFAULT_CALENDAR } from '@baton/core';
import { createJiraClient } from '@baton/jira';
import { seedFromRecorded } from '@baton/jira-sim';
import type { SimNotification } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, watchdogTick, workConsumer } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { userJiraFetch } from '../src/platform/forge-jira.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Reports on recorded real issues (fixtures/SOURCE.md): the newest 20 TIMOB issues of 2016 (public
// Appcelerator Jira), served as still open in Open with their real creation dates, reporters and
// assignees (every third served unassigned: nobody took it yet).

interface Recorded {
  key: string;
  fields: Record<string, unknown> & { created: string; assignee: { name: string } | null };
}
const RECORDED = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'appcelerator-timob-2016-routing.json'), 'utf8'),
  ) as Recorded[]
)
  .slice(-20)
  .map((r, i) => ({
    ...r,
    fields: {
      ...r.fields,
      status: { name: 'Open', statusCategory: { key: 'new' } },
      resolution: null,
      resolutiondate: null,
      ...(i % 3 === 0 ? { assignee: null } : {}),
    },
  }));
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Noon UTC of the second weekday after the last issue was created (business hours). */
const NOW = (() => {
  let t = Math.floor(Date.parse(RECORDED.at(-1)!.fields.created) / DAY) * DAY + 12 * HOUR;
  for (let weekdays = 0; weekdays < 2;) {
    t += DAY;
    if (![0, 6].includes(new Date(t).getUTCDay())) weekdays++;
  }
  return t;
})();
/** Business time each issue has been open at NOW (the default calendar: Monday to Friday, 09:00–17:00 UTC). */
const openFor = new Map(
  RECORDED.map((r) => [r.key, businessTimeBetween(DEFAULT_CALENDAR, Date.parse(r.fields.created), NOW)]),
);

let h: ForgeHarness;
useForgeHarness(
  (started) => {
    h = started;
  },
  { at: NOW, seed: () => seedFromRecorded({ me: { accountId: 'app-baton', displayName: 'Baton' }, issues: RECORDED }) },
);

async function saveCharterYaml(yaml: string): Promise<void> {
  const parsed = parseCharterYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const saved = await createBatonStorage().saveCharter(
    'global',
    { charter: parsed.value, yaml, updatedAt: NOW, updatedBy: 'test' },
    0,
  );
  if (saved === 'conflict') throw new Error('conflict');
}

describe('SLA state in JQL on recorded real issues (jira:entityProperty)', () => {
  it('`batonSla = breached` and `batonSlaBreached = <goal>` find exactly the issues past each goal', async () => {
    const RESPOND = 8 * HOUR;
    const RESOLVE = 24 * HOUR;
    await saveCharterYaml(`version: 2
scope: { projects: [TIMOB] }
slaGoals:
  - id: respond
    target: 8h
    stop: [{ on: field, field: assignee, present: true }]
  - id: resolve
    target: 24h
`);
    for (const r of RECORDED) await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', r.key));
    // What an agent (one of the project's real assignees) finds with JQL in Jira, through Forge's product fetch.
    const jira = createJiraClient({ fetch: userJiraFetch('gmathews') });
    const keysFor = async (jql: string): Promise<string[]> =>
      (await jira.searchJql({ jql, fields: ['summary'] })).issues.map((i) => i.key ?? i.id).sort();

    const late = (target: number, r: (typeof RECORDED)[number]) => openFor.get(r.key)! > target;
    const respondBreached = RECORDED.filter((r) => r.fields.assignee === null && late(RESPOND, r)).map((r) => r.key);
    const resolveBreached = RECORDED.filter((r) => late(RESOLVE, r)).map((r) => r.key);
    // The sample holds what the assertions need: each goal breached on some issues and not on others.
    expect(respondBreached.length).toBeGreaterThan(1);
    expect(resolveBreached.length).toBeGreaterThan(respondBreached.length);
    expect(resolveBreached.length).toBeLessThan(RECORDED.length);

    expect(await keysFor('project = TIMOB AND batonSlaBreached = respond')).toEqual(respondBreached.sort());
    expect(await keysFor('project = TIMOB AND batonSlaBreached = resolve')).toEqual(resolveBreached.sort());
    const either = [...new Set([...respondBreached, ...resolveBreached])].sort();
    expect(await keysFor('project = TIMOB AND batonSla = breached')).toEqual(either);
    expect(await keysFor('project = TIMOB AND issue.property[baton.state].slaState = breached')).toEqual(either);
    expect(await keysFor('project = TIMOB AND batonSla != breached')).toEqual(
      RECORDED.map((r) => r.key)
        .filter((k) => !either.includes(k))
        .sort(),
    );
  });
});

describe('the daily report over a project of recorded real issues', () => {
  it('reaches each person the charter names once per day, across ticks and a redelivered queue item', async () => {
    // A team of two of the project's real assignees, its member also named alone: one email for him all the same.
    await saveCharterYaml(`version: 2
scope: { projects: [TIMOB] }
routing:
  teams: [{ id: windows, lead: gmathews, members: [{ id: hknoechel }] }]
report: { to: [windows, hknoechel], at: '09:00' }
`);
    const reports = (): SimNotification[] =>
      h.sim.store.notifications.filter((n) => n.subject.startsWith('Baton daily report'));
    const tick = async (): Promise<void> => {
      await watchdogTick();
      // The queue redelivers what it holds (at-least-once): every report item is delivered twice.
      for (const e of [...h.queued]) if ((e.body as { kind?: string }).kind === 'report-email') h.queued.push(e);
      for (const { outcome } of await h.drainQueue(workConsumer as never)) expect(outcome.kind).not.toBe('threw');
    };
    const day = new Date(NOW).toISOString().slice(0, 10);
    await tick();
    expect(reports().map((n) => n.to)).toEqual([['gmathews'], ['hknoechel']]);
    const [email] = reports();
    expect(email?.subject).toMatch(new RegExp(`^Baton daily report for TIMOB, ${day}: \\d+ at risk, \\d+ changed$`));
    expect(RECORDED.map((r) => r.key)).toContain(email?.issueKey);
    // Core's report of these issues, the people who act next by their real names, not their account ids.
    expect(email?.textBody).toContain('WHO MUST ACT NEXT');
    const named = RECORDED.flatMap((r) => {
      const a = r.fields.assignee as { name: string; displayName: string } | null;
      return a === null || a.displayName === a.name ? [] : [a];
    });
    expect(named.some((a) => (email?.textBody ?? '').includes(a.displayName))).toBe(true);
    for (const a of named) expect(email?.textBody).not.toContain(a.name);

    // Later ticks the same day send nothing; the next day's report goes to each once more.
    vi.setSystemTime(NOW + 5 * 60_000);
    await tick();
    vi.setSystemTime(NOW + 3 * HOUR);
    await tick();
    expect(reports()).toHaveLength(2);
    vi.setSystemTime(NOW + DAY);
    await tick();
    expect(reports().map((n) => n.to)).toEqual([['gmathews'], ['hknoechel'], ['gmathews'], ['hknoechel']]);
    expect(reports()[2]?.subject).toContain(new Date(NOW + DAY).toISOString().slice(0, 10));
  });
});
