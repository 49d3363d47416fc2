import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { businessTimeBetween, DEFAULT_CALENDAR } from '@baton/core';
import { createJiraClient } from '@baton/jira';
import { seedFromRecorded } from '@baton/jira-sim';
import type { SimNotification } from '@baton/jira-sim';
import { describe, expect, it, vi } from 'vitest';
import { onIssueEvent, uiResolver, watchdogTick, workConsumer } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { userJiraFetch } from '../src/platform/forge-jira.ts';
import { invokeResolver } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Reports on recorded real issues (fixtures/SOURCE.md): the newest 20 TIMOB issues of 2016 (public
// Appcelerator Jira), served as still open in Open with their real creation dates, reporters and
// assignees (every third served unassigned: nobody took it yet).

interface Recorded {
  key: string;
  fields: Record<string, unknown> & { created: string; assignee: { name: string } | null };
}
const ORIGINAL = (
  JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures', 'appcelerator-timob-2016-routing.json'), 'utf8'),
  ) as Recorded[]
).slice(-20);
/** Who really took each issue (the recording's assignee). */
const REAL_ASSIGNEE = new Map(ORIGINAL.map((r) => [r.key, r.fields.assignee?.name ?? null]));
const RECORDED = ORIGINAL.map((r, i) => ({
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

describe('trust drift after an override on a recorded real issue', () => {
  it('records what the person really did instead of the suggestion: drift for the router', async () => {
    await saveCharterYaml('version: 2\nscope: { projects: [TIMOB] }\nautonomy: { default: assist }\n');
    // The oldest issue of the sample served unassigned whose real owner (the recording's assignee) is one of
    // the project's people (assigned elsewhere in the sample: the sim knows only people the recording shows).
    const served = new Set(RECORDED.map((r) => r.fields.assignee?.name).filter((p) => p !== undefined));
    const key = RECORDED.find((r) => r.fields.assignee === null && served.has(REAL_ASSIGNEE.get(r.key)!))!.key;
    const real = REAL_ASSIGNEE.get(key)!;
    expect(h.sim.store.get(key).assignee).toBeNull();
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', key));
    const storage = createBatonStorage();
    const suggestion = (await storage.listSuggestions(key)).find((s) =>
      s.decision.actions.some((a) => a.kind === 'assign'),
    );
    const assign = suggestion?.decision.actions.find((a) => a.kind === 'assign');
    if (suggestion === undefined || assign?.kind !== 'assign') throw new Error('expected an assign suggestion');
    // The real owner if the router did not pick him, else another of the project's real assignees.
    const instead = assign.to !== real ? real : [...served].find((p) => p !== real)!;
    const trust = async () => {
      const r = await invokeResolver(uiResolver as never, 'getTrust', { projectKey: 'TIMOB' }, instead);
      if (!r.ok) throw new Error(r.error.message);
      return (r.data as { patterns: { router?: Record<string, unknown> } }).patterns.router;
    };
    const answer = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      {
        issueKey: key,
        suggestionKey: suggestion.key,
        verdict: 'override',
        reason: { code: 'wrong-owner', text: 'not the owner this issue needs' },
      },
      instead,
    );
    expect(answer, JSON.stringify(answer)).toMatchObject({ ok: true, data: { outcome: 'overridden' } });
    expect(await trust()).toMatchObject({ overridden: 1, finals: 0, drift: null });

    // An hour later the person assigns it as really happened; a redelivered event is recorded once.
    vi.setSystemTime(NOW + HOUR);
    h.sim.store.assign(key, instead, instead);
    const event = issueEvent(h.sim, 'avi:jira:assigned:issue', key);
    await onIssueEvent(event);
    await onIssueEvent(event);
    expect(await trust()).toMatchObject({ overridden: 1, finals: 1, drifted: 1, changedAfterAct: 0, drift: 1 });
    const { entries } = await storage.queryAudit({ issueKey: key, outcome: 'final' });
    expect(entries.map((e) => e.final)).toEqual([
      { actions: [`assign to ${instead}`], drifted: true, afterAct: false },
    ]);
  });
});
