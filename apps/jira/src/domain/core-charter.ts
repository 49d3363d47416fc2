import { CHARTER_VERSION, CharterSchema, compileCharter, createWorkflowResolver } from '@baton/core';
import type { CharterInput, CompiledCharter, StateMapping } from '@baton/core';
import type { Charter } from '../contracts/charter.ts';
import { coreCalendar, parseDuration } from './app-calendar.ts';
import { requirementsOf } from './ready-requirements.ts';

const cache = new Map<string, CompiledCharter>();

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
/** Local HH:MM at a fixed offset → the same instant in UTC (the core calendar is UTC, see `coreCalendar`). */
const toUtcClock = (hhmm: string, offset: number): string => {
  const m = (((minutesOf(hhmm) - offset) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** The team the router picks from: the app's candidates (or the project's assignable people). */
export const CANDIDATES_TEAM = 'candidates';

export interface CoreCharterExtras {
  /** People the router may assign to (load limits come from the caller's counts). */
  members?: readonly string[];
  /** Statuses the app's workflow map does not name, resolved with Jira's status categories. */
  states?: Readonly<Record<string, StateMapping>>;
}

/**
 * Core's compiled charter for the app's charter, so that core's gate, router, watchdog and SLA
 * clocks decide under the admin's settings:
 * - autonomy per app dial (`nudge` → core `notify` and `requestInfo`, `setField` → core `setField`), `minConfidenceToAct` →
 *   `confidence.act`; nothing is escalated for low confidence (the app suggests instead);
 * - caps per issue and quiet hours (shifted to UTC like the calendar); the app has no setting for
 *   quiet outside business hours, so that stays off;
 * - one SLA goal per app goal, paused while waiting, stopped when done; durations in minutes
 *   because the app's `1d` is one of the calendar's working days while core's is always eight hours;
 * - `watchdog.staleAfter` as every state's idle norm; each mapped status's `ready` (the artifacts
 *   required to leave it) as core's definition of ready; routing to one team of candidates, and the
 *   classify rules as core's (`value` is core's `label`), and `modelClassify` as core's;
 * - escalation ladders as core's, idle thresholds in minutes, `notify-lead` and `reassign` aimed at
 *   `escalation.lead` unless the step names someone.
 */
export function coreCharterOf(app: Charter, extras: CoreCharterExtras = {}): CompiledCharter {
  const id = JSON.stringify([app, extras.members ?? [], extras.states ?? {}]);
  const hit = cache.get(id);
  if (hit) return hit;
  const cal = coreCalendar(app.calendar);
  const minutes = (text: string): string => `${Math.max(1, Math.round(parseDuration(text, app.calendar) / 60_000))}m`;
  const offset = app.calendar.utcOffsetMinutes;
  const stale = minutes(app.watchdog.staleAfter);
  const states: NonNullable<NonNullable<CharterInput['workflow']>['states']> = {};
  for (const [name, m] of Object.entries(extras.states ?? {})) states[name] = { ...m, norm: stale };
  for (const [name, { ready, ...m }] of Object.entries(app.workflow))
    states[name] = { ...m, norm: stale, ...(ready === undefined ? {} : { ready: requirementsOf(ready) }) };
  const members = extras.members ?? [];
  const input: CharterInput = {
    version: CHARTER_VERSION,
    name: 'jira-app',
    calendars: { default: { timeZone: cal.timeZone, week: cal.week, holidays: [] } },
    workflow: { states },
    slaGoals: app.slaGoals.map((g) => ({
      id: g.name,
      name: g.name,
      when: (g.priorities.length > 0 ? { priority: g.priorities } : {}) as Record<string, string[]>,
      target: minutes(g.target),
      start: [{ on: 'created' as const }],
      pause: [{ on: 'phase' as const, in: ['waiting' as const] }],
      stop: [{ on: 'phase' as const, in: ['done' as const] }],
      warnAt: [g.atRiskAt],
    })),
    escalation: {
      ladders: app.escalation.ladders.map((l) => ({
        id: l.name,
        ...(l.goal === undefined ? {} : { goal: l.goal }),
        steps: l.steps.map((st) => {
          const target =
            st.to ?? (st.do === 'notify-lead' || st.do === 'reassign' ? (app.escalation.lead ?? undefined) : undefined);
          return {
            ...(st.slaConsumed === undefined ? {} : { slaConsumed: st.slaConsumed }),
            ...(st.idle === undefined ? {} : { idle: minutes(st.idle) }),
            do: st.do,
            message: st.message,
            ...(target === undefined ? {} : { target }),
            ...(st.priority === undefined ? {} : { priority: st.priority }),
          };
        }),
      })),
    },
    routing: {
      classify: app.routing.classify.map((r) => ({ field: r.field, label: r.value, keywords: r.keywords })),
      modelClassify: { enabled: app.routing.modelClassify.enabled, fields: [...app.routing.modelClassify.fields] },
      ...(members.length === 0
        ? {}
        : {
            teams: [{ id: CANDIDATES_TEAM, members: members.map((m) => ({ id: m })) }],
            ownership: [{ id: 'least-loaded', team: CANDIDATES_TEAM }],
          }),
    },
    autonomy: {
      default: 'off',
      kinds: {
        assign: app.autonomy.assign,
        notify: app.autonomy.nudge,
        requestInfo: app.autonomy.nudge,
        escalate: app.autonomy.escalate,
        comment: app.autonomy.comment,
        setField: app.autonomy.setField,
      },
    },
    confidence: { act: app.minConfidenceToAct, suggest: 0 },
    caps: {
      maxNudgesPerCasePerDay: app.caps.nudgesPerIssuePerDay,
      quietHours:
        app.caps.quietHours === null
          ? null
          : { from: toUtcClock(app.caps.quietHours.start, offset), to: toUtcClock(app.caps.quietHours.end, offset) },
      quietOutsideBusinessHours: false,
    },
  };
  const compiled = compileCharter(CharterSchema.parse(input));
  cache.set(id, compiled);
  return compiled;
}

/** The statuses an issue has been in, resolved with the app's map and Jira's categories, for core's resolver. */
export function hintStates(
  app: Charter,
  hints: ReadonlyMap<string, 'new' | 'indeterminate' | 'done'>,
): Record<string, StateMapping> {
  const resolve = createWorkflowResolver({ states: app.workflow }, new Map(hints));
  return Object.fromEntries([...hints.keys()].filter((s) => !(s in app.workflow)).map((s) => [s, resolve(s)]));
}
