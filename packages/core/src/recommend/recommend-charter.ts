import { ACTION_KINDS } from '../decision/action.ts';
import type { ReadinessRequirement } from '../model/readiness.ts';
import { quantileSorted } from '../analysis/stats.ts';
import type { CharterInput } from '../charter/charter-schema.ts';
import { BUSINESS_DAY_MS, BUSINESS_HOUR_MS, formatDuration } from '../charter/duration.ts';
import type { WorkflowResolver } from '../model/workflow.ts';
import { businessTimeBetween, type Calendar } from '../time/calendar.ts';
import type { HistoryObservations, Intervals, StateObservation } from './observe-history.ts';

/** Why a charter value is what it is: the figure it came from, for a comment beside it. */
export interface CharterNote {
  readonly path: readonly (string | number)[];
  readonly note: string;
}

export interface CharterRecommendation {
  /** A charter in core's schema (`parseCharter` accepts it). */
  readonly charter: CharterInput;
  readonly notes: readonly CharterNote[];
}

export interface RecommendOptions {
  readonly name: string;
  readonly calendar: Calendar;
  /** What the calendar was inferred from (or where it came from). */
  readonly calendarNote: string;
  readonly resolve: WorkflowResolver;
  /** The case attribute ownership rules key on (default `components`). */
  readonly keyAttribute?: string;
}

/** Below this many observations a figure is too thin to set a value from: the default stays. */
export const MIN_SAMPLE = 20;
/** A requirement is proposed when present at this share of exits… */
export const READY_AT_EXIT = 0.9;
/** …and missing at this share of entries or more (it is filled in while the case is there). */
export const MISSING_AT_ENTRY = 0.1;
/** The SLA targets are the time this share of history met. */
export const SLA_QUANTILE = 0.85;

const n = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 100)} %`;
const hours = (ms: number) => `${(ms / BUSINESS_HOUR_MS).toFixed(1)} business hours`;
const human = (ms: number) =>
  ms >= BUSINESS_DAY_MS ? `${(ms / BUSINESS_DAY_MS).toFixed(1)} business days` : hours(ms);

/** Rounded up to what a person writes: 15 minutes under an hour, whole hours under a day, whole days beyond. */
export function roundUpDuration(ms: number): string {
  const step = ms < BUSINESS_HOUR_MS ? 15 * 60_000 : ms < BUSINESS_DAY_MS ? BUSINESS_HOUR_MS : BUSINESS_DAY_MS;
  return formatDuration(Math.max(step, Math.ceil(ms / step) * step));
}

function businessSorted(calendar: Calendar, iv: Intervals, minus?: (i: number) => number): Float64Array {
  const s = iv.starts.values();
  const e = iv.ends.values();
  const out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++)
    out[i] = Math.max(0, businessTimeBetween(calendar, s[i]!, e[i]!) - (minus?.(i) ?? 0));
  return out.sort();
}

const q = (sorted: Float64Array, p: number) => quantileSorted(sorted, p) ?? 0;

/**
 * A starting charter from a history: the workflow map with per-state norms (p90 of idle time), SLA
 * goals at the time 85 % of history met, ladders and caps from the same figures, definitions of
 * ready from what was present when cases left a state (and often missing when they arrived),
 * ownership from who finished cases of each component, every autonomy dial at `assist`. Each value
 * comes with a note naming the figure behind it.
 */
export function recommendCharter(obs: HistoryObservations, options: RecommendOptions): CharterRecommendation {
  const notes: CharterNote[] = [];
  const note = (path: (string | number)[], text: string) => notes.push({ path, note: text });
  const { calendar, resolve } = options;
  note(['calendars', 'default'], options.calendarNote);

  const { states, customerWaits, waitingNorms } = workflowOf(obs, options, note);
  const slaGoals = slaGoalsOf(obs, options, customerWaits, note);
  const routing = routingOf(obs, options, note);
  const idleAll = allIdle(obs, calendar, resolve);
  const hasLead = routing.teams?.some((t) => t.lead !== undefined) ?? false;
  const ladders = laddersOf(slaGoals, idleAll, hasLead, note);
  const caps = capsOf(obs, calendar, resolve, note);
  const missingInfo = missingInfoOf(waitingNorms, note);
  const projects = [...obs.projects.keys()].sort();
  if (projects.length > 0) note(['scope', 'projects'], `the projects of the ${n(obs.cases)} cases read`);
  note(
    ['autonomy', 'default'],
    'every dial at assist: the agent suggests, a person decides, until the replay and the dry run say otherwise',
  );

  const charter: CharterInput = {
    version: 2,
    name: options.name,
    ...(projects.length > 0 ? { scope: { projects } } : {}),
    workflow: { states },
    calendars: { default: calendarInput(calendar) },
    slaGoals,
    routing,
    missingInfo,
    escalation: { ladders },
    autonomy: { default: 'assist', kinds: Object.fromEntries(ACTION_KINDS.map((k) => [k, 'assist'])) },
    caps,
  };
  return { charter, notes };
}

function calendarInput(c: Calendar): NonNullable<CharterInput['calendars']>[string] {
  return { timeZone: c.timeZone, week: c.week, holidays: [...c.holidays] };
}

type Note = (path: (string | number)[], text: string) => void;

function workflowOf(obs: HistoryObservations, options: RecommendOptions, note: Note) {
  const states: Record<string, NonNullable<NonNullable<CharterInput['workflow']>['states']>[string]> = {};
  const customerWaits: string[] = [];
  const waitingNorms: { state: string; stays: Float64Array }[] = [];
  const ordered = [...obs.states].sort((a, b) => b[1].visits - a[1].visits || a[0].localeCompare(b[0]));
  for (const [name, s] of ordered) {
    const mapping = options.resolve(name);
    const path = ['workflow', 'states', name];
    const hint = obs.hints.get(name);
    note(
      [...path, 'phase'],
      `${n(s.visits)} visits in ${n(s.cases)} cases; ${hint ? `Jira category '${hint}' and the name` : 'from the name'}`,
    );
    const entry: (typeof states)[string] = { phase: mapping.phase };
    if (mapping.waitingReason !== undefined) entry.waitingReason = mapping.waitingReason;
    if (mapping.phase === 'waiting' && mapping.waitingReason === 'customer') customerWaits.push(name);
    if (mapping.phase !== 'done') {
      const idle = businessSorted(options.calendar, s.idle);
      const stays = businessSorted(options.calendar, s.stays);
      if (mapping.phase === 'waiting') waitingNorms.push({ state: name, stays });
      if (idle.length >= MIN_SAMPLE && q(idle, 0.9) > 0) {
        entry.norm = roundUpDuration(q(idle, 0.9));
        note(
          [...path, 'norm'],
          `p90 of ${n(idle.length)} idle gaps here: ${human(q(idle, 0.9))} (median ${human(q(idle, 0.5))}); ` +
            `a whole stay: median ${human(q(stays, 0.5))}, p90 ${human(q(stays, 0.9))}`,
        );
      }
      const ready = readinessOf(s);
      if (ready.length > 0) {
        entry.ready = ready.map((r) => r.requirement);
        ready.forEach((r, i) => note([...path, 'ready', i], r.why));
        const next = [...s.next].sort((a, b) => b[1] - a[1])[0];
        if (mapping.phase === 'waiting' && next !== undefined) {
          entry.onReady = next[0];
          note(
            [...path, 'onReady'],
            `${pct(next[1] / s.presence.exits)} of the ${n(s.presence.exits)} exits went there`,
          );
        }
      }
    }
    states[name] = entry;
  }
  return { states, customerWaits, waitingNorms };
}

function readinessOf(s: StateObservation): { requirement: ReadinessRequirement; why: string }[] {
  const p = s.presence;
  if (p.exits < MIN_SAMPLE || p.entries === 0) return [];
  const out: { requirement: ReadinessRequirement; why: string }[] = [];
  for (const [name, atExit] of [...p.atExit].sort((a, b) => a[0].localeCompare(b[0]))) {
    const exitShare = atExit / p.exits;
    const entryShare = (p.atEntry.get(name) ?? 0) / p.entries;
    if (exitShare < READY_AT_EXIT || 1 - entryShare < MISSING_AT_ENTRY) continue;
    out.push({
      requirement: name === 'link' ? { kind: 'link' } : { kind: 'field', field: name },
      why: `present at ${pct(exitShare)} of ${n(p.exits)} exits, missing at ${pct(1 - entryShare)} of ${n(p.entries)} entries`,
    });
  }
  return out;
}

function slaGoalsOf(obs: HistoryObservations, options: RecommendOptions, customerWaits: string[], note: Note) {
  const goals: NonNullable<CharterInput['slaGoals']> = [];
  const pauses = obs.resolutionPauses;
  const pauseMs = new Float64Array(obs.resolution.length);
  const idx = pauses.caseIndex.values();
  for (let i = 0; i < idx.length; i++)
    pauseMs[idx[i]!]! += businessTimeBetween(options.calendar, pauses.from.values()[i]!, pauses.to.values()[i]!);
  const net = businessSorted(options.calendar, obs.resolution, (i) => pauseMs[i] ?? 0);
  if (net.length >= MIN_SAMPLE && q(net, SLA_QUANTILE) > 0) {
    const i = goals.length;
    goals.push({
      id: 'resolution',
      name: `Resolve within the time ${pct(SLA_QUANTILE)} of the history met`,
      target: roundUpDuration(q(net, SLA_QUANTILE)),
      ...(customerWaits.length > 0 ? { pause: [{ on: 'waiting', reasons: ['customer'] }] } : {}),
      stop: [{ on: 'phase', in: ['done'] }],
      warnAt: [0.75],
    });
    note(
      ['slaGoals', i, 'target'],
      `p85 of ${n(net.length)} resolved cases: ${human(q(net, SLA_QUANTILE))}` +
        `${customerWaits.length > 0 ? ', not counting waits on the customer' : ''} (median ${human(q(net, 0.5))}, p90 ${human(q(net, 0.9))})`,
    );
  }
  const first = businessSorted(options.calendar, obs.firstMove);
  const queues = [...obs.states.keys()].filter((s) => options.resolve(s).phase === 'queue');
  if (first.length >= MIN_SAMPLE && queues.length > 0 && q(first, SLA_QUANTILE) > 0) {
    const i = goals.length;
    goals.push({
      id: 'first-response',
      name: 'Picked up (out of its first state) in time',
      target: roundUpDuration(q(first, SLA_QUANTILE)),
      stop: [{ on: 'phase', in: ['active', 'waiting', 'done'] }],
      warnAt: [0.75],
    });
    note(
      ['slaGoals', i, 'target'],
      `p85 of ${n(first.length)} cases' time to their first move: ${human(q(first, SLA_QUANTILE))} (median ${human(q(first, 0.5))})`,
    );
  }
  return goals;
}

function routingOf(obs: HistoryObservations, options: RecommendOptions, note: Note) {
  const key = options.keyAttribute ?? 'components';
  const teams: { id: string; lead?: string; members: { id: string }[] }[] = [];
  const ownership: { id: string; when: Record<string, string>; team: string }[] = [];
  const ranked = [...obs.ownership]
    .map(([value, owners]) => ({ value, owners: [...owners].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) }))
    .map((x) => ({ ...x, total: x.owners.reduce((s, [, c]) => s + c, 0) }))
    .filter((x) => x.total >= 5)
    .sort((a, b) => b.total - a.total || a.value.localeCompare(b.value))
    .slice(0, 40);
  for (const { value, owners, total } of ranked) {
    const members = owners.filter(([, c]) => c / total >= 0.1).map(([id]) => ({ id }));
    const [lead, leadCases] = owners[0] as [string, number];
    teams.push({ id: value, lead, members });
    note(
      ['routing', 'teams', teams.length - 1, 'lead'],
      `finished ${n(leadCases)} of ${n(total)} ${key} '${value}' cases (${pct(leadCases / total)}); members finished ≥ 10 % each`,
    );
    ownership.push({ id: `by-${key}-${ownership.length + 1}`, when: { [key]: value }, team: value });
  }
  if (ranked.length === 0)
    note(
      ['routing', 'ownership'],
      `no ${key} with 5 or more finished cases in this history: no ownership rule proposed`,
    );
  return { teams, ownership };
}

function allIdle(obs: HistoryObservations, calendar: Calendar, resolve: WorkflowResolver): Float64Array {
  const parts: Float64Array[] = [];
  for (const [name, s] of obs.states)
    if (resolve(name).phase === 'active' || resolve(name).phase === 'queue')
      parts.push(businessSorted(calendar, s.idle));
  const all = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all.sort();
}

/**
 * A resolution ladder (the owner at the warning line, the lead at the breach) and an idle one (the
 * owner at the p90 of idle gaps, the lead at twice that). With no team lead in the history, the lead's
 * steps are left out and the note says so: a step for a lead nobody is would never act (core finds
 * no one to tell) and the Jira app refuses to store it.
 */
function laddersOf(goals: NonNullable<CharterInput['slaGoals']>, idle: Float64Array, hasLead: boolean, note: Note) {
  const noLead =
    'no team with a lead in this history: add a notify-lead step with a target once a person takes escalations';
  const ladders: NonNullable<NonNullable<CharterInput['escalation']>['ladders']> = [];
  if (goals.some((g) => g.id === 'resolution')) {
    ladders.push({
      id: 'resolution',
      goal: 'resolution',
      steps: [
        {
          slaConsumed: 0.75,
          do: 'nudge-owner',
          message:
            '{case} has used 75 % of its resolution time ({remaining}). Blocking: {blocking}. In {state} since {since}.',
        },
        ...(hasLead
          ? [
              {
                slaConsumed: 1,
                do: 'notify-lead' as const,
                message: '{case} breached its resolution goal. Owner {owner}; stakes: {stakes}.',
              },
            ]
          : []),
      ],
    });
    note(
      ['escalation', 'ladders', 0, 'steps'],
      hasLead
        ? 'nudge the owner at the warning line (75 %), the lead at the breach'
        : `nudge the owner at the warning line (75 %); ${noLead}`,
    );
  }
  if (idle.length >= MIN_SAMPLE) {
    const p90 = q(idle, 0.9);
    const i = ladders.length;
    ladders.push({
      id: 'idle',
      steps: [
        {
          idle: roundUpDuration(p90),
          do: 'nudge-owner',
          message: '{case} has been idle for {idle} in {state}. Waiting: {waiting}.',
        },
        ...(hasLead
          ? [
              {
                idle: roundUpDuration(2 * p90),
                do: 'notify-lead' as const,
                message: '{case} has been idle for {idle} with {owner}.',
              },
            ]
          : []),
      ],
    });
    note(
      ['escalation', 'ladders', i, 'steps', 0, 'idle'],
      `p90 of ${n(idle.length)} idle gaps in queue and active states: ${human(p90)}; ${hasLead ? 'the lead at twice that' : noLead}`,
    );
  }
  return ladders;
}

function capsOf(obs: HistoryObservations, calendar: Calendar, resolve: WorkflowResolver, note: Note) {
  const perDay = Float64Array.from(obs.ownerDays.values()).sort();
  const caps: NonNullable<CharterInput['caps']> = { maxNudgesPerCasePerDay: 1, quietOutsideBusinessHours: true };
  note(
    ['caps', 'maxNudgesPerCasePerDay'],
    'one nudge a case a day: the playbook default (not observable in a history)',
  );
  if (perDay.length >= MIN_SAMPLE) {
    caps.maxNudgesPerPersonPerDay = Math.max(1, Math.ceil(q(perDay, 0.9)));
    note(
      ['caps', 'maxNudgesPerPersonPerDay'],
      `on a busy day (p90 of ${n(perDay.length)} owner-days) an owner touched ${q(perDay, 0.9).toFixed(1)} cases (median ${q(perDay, 0.5).toFixed(1)}): no more nudges than that`,
    );
  }
  const active: Float64Array[] = [];
  for (const [name, s] of obs.states)
    if (resolve(name).phase === 'active') active.push(businessSorted(calendar, s.idle));
  const gaps = Float64Array.from(active.flatMap((a) => [...a])).sort();
  if (gaps.length >= MIN_SAMPLE && q(gaps, 0.5) > 0) {
    const median = Math.min(Math.max(q(gaps, 0.5), BUSINESS_HOUR_MS), BUSINESS_DAY_MS);
    caps.recentTouch = roundUpDuration(median);
    note(
      ['caps', 'recentTouch'],
      `median gap between events while a case is worked: ${human(q(gaps, 0.5))} (kept between 1h and 1d)`,
    );
  }
  note(['caps', 'quietOutsideBusinessHours'], 'no nudges outside the calendar above');
  return caps;
}

function missingInfoOf(waiting: { state: string; stays: Float64Array }[], note: Note) {
  const stays = Float64Array.from(waiting.flatMap((w) => [...w.stays])).sort();
  if (stays.length < MIN_SAMPLE) {
    note(
      ['missingInfo'],
      'too few waits in this history to learn from: the defaults (remind after 1d, escalate after 3d)',
    );
    return { remindAfter: '1d', escalateAfter: '3d' };
  }
  const remind = roundUpDuration(q(stays, 0.5));
  const escalate = roundUpDuration(Math.max(q(stays, 0.9), q(stays, 0.5) * 2));
  note(
    ['missingInfo', 'remindAfter'],
    `median wait in ${waiting.map((w) => w.state).join(', ')}: ${human(q(stays, 0.5))} over ${n(stays.length)} waits; escalate at the p90 (${human(q(stays, 0.9))})`,
  );
  return { remindAfter: remind, escalateAfter: escalate === remind ? roundUpDuration(q(stays, 0.5) * 2) : escalate };
}
