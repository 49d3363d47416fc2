import { vi } from 'vitest';
import { CHARTER_VERSION, parseCharter } from '@baton/core';
import type { Action, Charter, CharterInput as CoreCharterInput, Decision } from '@baton/core';
import type { Suggestion } from '@baton/jira/issue-state';
import type { SimIssueSeed } from '@baton/jira-sim';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';

/** Monday 23 November 2026, 12:00 UTC: the support-desk seed's "now" (inside business hours). */
export const NOW = Date.UTC(2026, 10, 23, 12, 0);

/** Only `Date` is faked: the sim's sockets and the client's timers stay real. */
export function freezeTime(at = NOW): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** Every action kind the app carries out, proposed for a person to accept: the tests' autonomy unless they say otherwise. */
export const ASSIST_ALL = {
  assign: 'assist',
  notify: 'assist',
  requestInfo: 'assist',
  escalate: 'assist',
  comment: 'assist',
  setField: 'assist',
} as const;

/** Business hours 09:00–17:00, Monday to Friday (in the calendar's time zone). */
export const WEEKDAYS_9_TO_5: Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri', [string, string][]> = {
  mon: [['09:00', '17:00']],
  tue: [['09:00', '17:00']],
  wed: [['09:00', '17:00']],
  thu: [['09:00', '17:00']],
  fri: [['09:00', '17:00']],
};

/**
 * The tests' charter, in core's language: project SUP; a 09:00–17:00 UTC weekday calendar; a case idle
 * after two business days; every action kind suggested (`ASSIST_ALL`, any other kind off); act from
 * 0.8 confidence, nothing escalated for low confidence; one nudge per case a day, no quiet hours and
 * none outside business hours. `over` replaces whole top-level sections (write each in full).
 */
export const supCharter = (over: Partial<CoreCharterInput> = {}): CoreCharterInput => ({
  version: CHARTER_VERSION,
  scope: { projects: ['SUP'] },
  calendars: { default: { timeZone: 'UTC', week: WEEKDAYS_9_TO_5 } },
  workflow: { norm: '2d', states: {} },
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL } },
  confidence: { act: 0.8, suggest: 0 },
  caps: { maxNudgesPerCasePerDay: 1, quietHours: null, quietOutsideBusinessHours: false },
  ...over,
});

/** An SLA goal as the tests write one: from creation, paused while waiting, stopped when done. */
export const slaGoal = (
  id: string,
  target: string,
  over: Partial<NonNullable<CoreCharterInput['slaGoals']>[number]> = {},
) => ({
  id,
  name: id,
  target,
  start: [{ on: 'created' as const }],
  pause: [{ on: 'phase' as const, in: ['waiting' as const] }],
  stop: [{ on: 'phase' as const, in: ['done' as const] }],
  ...over,
});

/** Routing to the least loaded of these people: one team, `candidates`, with an ownership rule for it. */
export const leastLoaded = (...ids: string[]): NonNullable<CoreCharterInput['routing']> => ({
  teams: [{ id: 'candidates', members: ids.map((id) => ({ id })) }],
  ownership: [{ id: 'least-loaded', team: 'candidates' }],
});

/** Core's charter from its input; a charter core refuses fails the test with every problem. */
export function coreCharter(input: CoreCharterInput): Charter {
  const r = parseCharter(input);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return r.value;
}

/** Stores core's charter as the admin page does (over the version stored; a conflict fails the test). */
export async function saveCoreCharter(input: CoreCharterInput, scope = 'global'): Promise<Charter> {
  const charter = coreCharter(input);
  const storage = createBatonStorage();
  const current = await storage.getCharter(scope);
  const r = await storage.saveCharter(
    scope,
    { charter, yaml: '', updatedAt: Date.now(), updatedBy: 'test' },
    current?.version ?? 0,
  );
  if (r === 'conflict') throw new Error('conflict');
  return charter;
}

/**
 * Stores a charter written in YAML as the admin page does: core's charter, read by the app's YAML reader,
 * saved over the version stored (a conflict or a refused YAML fails the test). `at`: its `updatedAt`.
 */
export async function saveCharterYaml(yaml: string, at = Date.now(), scope = 'global'): Promise<void> {
  const parsed = parseCharterYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const storage = createBatonStorage();
  const current = await storage.getCharter(scope);
  const r = await storage.saveCharter(
    scope,
    { charter: parsed.value, yaml, updatedAt: at, updatedBy: 'test' },
    current?.version ?? 0,
  );
  if (r === 'conflict') throw new Error('conflict');
}

export function invokeResolver(
  handler: (payload: unknown, backend?: unknown) => Promise<unknown>,
  name: string,
  payload: unknown,
  accountId: string | undefined,
) {
  return handler(
    { call: { functionKey: name, payload }, context: { extension: {} } },
    accountId === undefined ? {} : { principal: { accountId } },
  ) as Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>;
}

/** The kinds of core's actions a pending suggestion's decision would carry out (`assign`, `setField`, `notify`). */
export const kindsOf = (s: Suggestion): string[] => s.decision.actions.map((a) => a.kind);

/** The single action of a suggestion's decision (every pattern proposes one today); two or none fail the test. */
export function actionOf(s: Suggestion): Action {
  const [a, ...more] = s.decision.actions;
  if (a === undefined || more.length > 0) throw new Error(`suggestion ${s.key}: ${s.decision.actions.length} actions`);
  return a;
}

/** Core's decision to act, as the gate makes one (for tests that call `executeDecision` directly). */
export const actDecision = (d: Pick<Decision, 'id' | 'caseId' | 'actions'> & Partial<Decision>): Decision => ({
  pattern: 'watchdog',
  rule: 'watchdog.stall',
  threshold: d.id,
  reason: 'idle',
  evidence: [],
  confidence: 0.9,
  risk: 'low',
  at: NOW,
  idempotencyKey: d.id,
  disposition: 'act',
  dispositionRule: 'confidence.act',
  because: { code: 'confidence.act' },
  ...d,
});

/** A suggestion's field write (`setField`), if it is one. */
export function fieldWriteOf(s: Suggestion | undefined): { field: string; value: unknown } | undefined {
  const a = s?.decision.actions.find((x) => x.kind === 'setField');
  return a?.kind === 'setField' ? { field: a.field, value: a.value } : undefined;
}

/** Whom a suggestion would assign the issue to, if it assigns. */
export function assigneeOf(s: Suggestion | undefined): string | undefined {
  const a = s?.decision.actions.find((x) => x.kind === 'assign');
  return a?.kind === 'assign' ? a.to : undefined;
}

/** A changelog's status item as Jira writes it: each side's status id and the name the status had then. */
export const statusItem = (from: [string, string], to: [string, string]) => ({
  field: 'status',
  from: from[0],
  fromString: from[1],
  to: to[0],
  toString: to[1],
});

/** SUP-50 on the support desk: created today 09:00, assigned from the start, worked from 10:00, resolved at 11:00. */
export function resolvedThisMorning(): SimIssueSeed {
  const ago = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
  return {
    key: 'SUP-50',
    summary: 'Reset link sent to the old address',
    issuetype: 'Service request',
    status: 'Done',
    assignee: 'u-ada',
    reporter: 'u-cust',
    created: ago(3),
    updated: ago(1),
    histories: [
      { author: 'u-ada', created: ago(2), items: [statusItem(['10000', 'To Do'], ['3', 'In Progress'])] },
      {
        author: 'u-ada',
        created: ago(1),
        items: [
          statusItem(['3', 'In Progress'], ['10002', 'Done']),
          { field: 'resolution', to: '10000', toString: 'Done' },
        ],
      },
    ],
  };
}
