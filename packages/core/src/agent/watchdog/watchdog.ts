import type { Charter } from '../../charter/charter-schema.ts';
import {
  compileCharter,
  matchesAttributes,
  type CompiledCharter,
  type CompiledGoal,
  type CompiledStep,
} from '../../charter/compile-charter.ts';
import { BUSINESS_DAY_MS, formatDuration, parseDuration } from '../../charter/duration.ts';
import type { AttributeValue, CaseRecord } from '../../model/case.ts';
import type { CaseEvent } from '../../model/event.ts';
import { addBusinessTime, businessTimeBetween, type Calendar } from '../../time/calendar.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import { traitsOf, type Action } from '../../decision/action.ts';
import { applyCharter, nextGateChangeAt } from '../../charter/apply-charter.ts';
import { ownerAfter, stateAfter } from '../../model/case-snapshot.ts';
import type { Decision, DecisionEvidence, Proposal } from '../../decision/decision.ts';
import { LADDER_STEP_ACTIONS, renderTemplate, type StepTargets } from './ladder-steps.ts';
import {
  attributesAtCreation,
  clockReachesAt,
  computeClock,
  elapsedAt,
  elapsedReaching,
  type SlaClockState,
} from '../../sla/sla.ts';

/**
 * An open case as the watchdog sees it: a few numbers, no history. The Forge app keeps this per
 * issue (with the SLA clocks advanced event by event); `watchCaseOf` derives it from a history.
 */
export interface WatchCase {
  readonly caseId: string;
  readonly title?: string;
  readonly state: string | null;
  readonly owner: string | null;
  /** When the case entered its current state. */
  readonly enteredStateAt: number;
  /** The last event of any kind. */
  readonly lastActivityAt: number;
  /** The last event by a person (not the agent), for the recent-touch rule. */
  readonly lastHumanActivityAt: number | null;
  readonly attributes: Readonly<Record<string, AttributeValue | string[]>>;
  /** One entry per charter goal (`compileCharter(c).goals`), null where the goal does not apply. */
  readonly clocks: readonly (SlaClockState | null)[];
  /** Thresholds of steps already taken on this case (`Decision.threshold` values). */
  readonly takenSteps: ReadonlySet<string>;
  /** Nudges already sent on this case today. */
  readonly nudgesToday?: number;
  /** Definition-of-ready items still missing (what is blocking). */
  readonly missing?: readonly string[];
}

/**
 * What the watchdog looks at: `stall` (idle beyond the state's norm), `sla` (SLA warnings, breaches
 * and the SLA ladders' steps), `idle` (the idle ladders' steps). The replay runs the SLA clocks and
 * the stall watch as two patterns; the Forge app runs all three at once.
 */
export const WATCHDOG_CHECKS = ['stall', 'sla', 'idle'] as const;
export type WatchdogCheck = (typeof WATCHDOG_CHECKS)[number];

export interface WatchdogOptions {
  /** Idle norm per state in business ms: the state's p90 from history is a good default. A charter `norm` wins. */
  readonly norms?: ReadonlyMap<string, number>;
  /** Norm for states with neither a charter norm nor a history norm. Default: the charter's `workflow.norm`, else 3 business days. */
  readonly defaultNormMs?: number;
  /** Which checks to run (default: all). */
  readonly checks?: readonly WatchdogCheck[];
}

export interface Watchdog {
  /** The decisions for one case at `now` (gated by the charter); `personNudges` counts across a run. */
  evaluate(c: WatchCase, now: number, personNudges?: Map<string, number>): Decision[];
  /** What the watchdog would propose for one case at `now`, before the charter's gate (for a caller that gates itself, like the replay). */
  propose(c: WatchCase, now: number): readonly Proposal[];
  /** Every open case at `now`, sharing the per-person caps across cases. */
  run(cases: Iterable<WatchCase>, now: number): Decision[];
  /**
   * The first instant after `now` at which `evaluate` on this case, with no new event, returns other
   * decisions (a new one, one gone, another disposition), or null when it never will. It comes from
   * the lines `propose` itself tests (stall norm, SLA warning and breach, SLA and idle ladder steps,
   * each in its own calendar; a clock that is not running has none) and from the gate's clock
   * (recent touch running out, quiet hours starting or ending), each candidate checked by evaluating
   * there. Caps: `nudgesToday` counts the UTC day of `now` and starts again at zero at the next UTC
   * midnight (the replay's and the Forge app's day), so a capped nudge is due then. The per-person
   * caps of a `run` across cases are not seen: the case is looked at alone.
   * @example setDue(key, dog.nextDueAt(wc, now))
   */
  nextDueAt(c: WatchCase, now: number): number | null;
}

const EMPTY: Decision[] = [];
const UTC_DAY_MS = 86_400_000;
const NO_PROPOSALS: readonly Proposal[] = [];

/** Builds a `WatchCase` from a history (events after `now` are ignored). `agent` names the agent's own actor. */
export function watchCaseOf(
  record: CaseRecord,
  charter: Charter | CompiledCharter,
  now: number,
  takenSteps: ReadonlySet<string> = new Set(),
  agent = 'baton',
): WatchCase {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  let state: string | null = null;
  let owner: string | null = null;
  let enteredStateAt = record.events[0]?.at ?? now;
  let lastActivityAt = enteredStateAt;
  let lastHumanActivityAt: number | null = null;
  const events: CaseEvent[] = [];
  for (const e of record.events) {
    if (e.at > now) break;
    events.push(e);
    lastActivityAt = e.at;
    if (e.actor !== undefined && e.actor !== null && e.actor !== agent) lastHumanActivityAt = e.at;
    const s = stateAfter(e);
    if (s !== undefined && s !== state) {
      state = s;
      enteredStateAt = e.at;
    }
    const o = ownerAfter(e);
    if (o !== undefined) owner = o;
  }
  if (events.length === record.events.length) {
    state ??= record.state ?? null;
    owner ??= record.owner ?? null;
  }
  const atCreation = attributesAtCreation(record);
  const clocks = c.goals.map((g) =>
    matchesAttributes(g.goal.when, record.attributes) ? computeClock(g, c.resolve, events, atCreation) : null,
  );
  return {
    caseId: record.id,
    ...(record.title === undefined ? {} : { title: record.title }),
    state,
    owner,
    enteredStateAt,
    lastActivityAt,
    lastHumanActivityAt,
    attributes: record.attributes,
    clocks,
    takenSteps,
  };
}

function str(v: unknown): string | null {
  if (typeof v === 'string' && v !== '') return v;
  if (Array.isArray(v) && v.length > 0) return v.join(', ');
  return null;
}

/** A state's idle norm in business ms and where it came from: the charter's `norm`, history's p90, or the default. */
interface StateNorms {
  of(state: string): number;
  source(state: string): string;
}

function stateNorms(c: CompiledCharter, options: WatchdogOptions): StateNorms {
  const charterNorm = c.charter.workflow.norm;
  const defaultNorm =
    options.defaultNormMs ?? (charterNorm === undefined ? 3 * BUSINESS_DAY_MS : parseDuration(charterNorm)!);
  const norms = new Map<string, number>();
  const sources = new Map<string, string>();
  for (const [name, ms] of options.norms ?? []) {
    norms.set(name.toLowerCase(), ms);
    sources.set(name.toLowerCase(), 'history:p90');
  }
  for (const [name, s] of c.states) {
    if (s.norm === undefined) continue;
    norms.set(name, parseDuration(s.norm)!);
    sources.set(name, 'charter');
  }
  const cache = new Map<string, number>();
  return {
    of(state) {
      let n = cache.get(state);
      if (n === undefined) {
        n = norms.get(state.toLowerCase()) ?? defaultNorm;
        cache.set(state, n);
      }
      return n;
    },
    source: (state) => sources.get(state.toLowerCase()) ?? (charterNorm === undefined ? 'default' : 'charter'),
  };
}

/** Each team member's lead (the lead has none), for a step that goes to the lead. */
function teamLeads(c: CompiledCharter): ReadonlyMap<string, string> {
  const leads = new Map<string, string>();
  for (const t of c.charter.routing.teams) {
    if (t.lead === undefined) continue;
    leads.set(t.id, t.lead);
    for (const m of t.members) if (m.id !== t.lead) leads.set(m.id, t.lead);
  }
  return leads;
}

/**
 * The lines `propose` tests: idle time against a limit, an SLA goal's consumed share against a share.
 * A line answers whether it is reached. While `lookAheadFrom(t, ...)` runs, a line not yet reached also
 * notes the instant after `t` at which it will be if nothing happens; the soonest of those is returned.
 */
interface WatchLines {
  /** Idle business time at or past `limit` (`strict`: beyond it); idle time grows from `since`. */
  idle(idle: number, limit: number, strict: boolean, since: number): boolean;
  /** A goal's consumed share at or past `share` (`strict`: beyond it). */
  sla(consumed: number, share: number, strict: boolean, g: CompiledGoal, clock: SlaClockState): boolean;
  lookAheadFrom<T>(from: number, run: () => T): { readonly value: T; readonly soonest: number };
}

function createWatchLines(cal: Calendar): WatchLines {
  let collecting = false;
  let lookFrom = 0;
  let soonest = Infinity;
  const note = (at: number | null): void => {
    if (at !== null && at > lookFrom && at < soonest) soonest = at;
  };
  return {
    idle(idle, limit, strict, since) {
      if (strict ? idle > limit : idle >= limit) return true;
      // Idle time is whole ms: the least value that passes the line.
      if (collecting && Number.isFinite(limit))
        note(addBusinessTime(cal, since, strict ? Math.floor(limit) + 1 : Math.ceil(limit)));
      return false;
    },
    sla(consumed, share, strict, g, clock) {
      if (strict ? consumed > share : consumed >= share) return true;
      if (collecting && Number.isFinite(share))
        note(clockReachesAt(g, clock, elapsedReaching(g.targetMs, share, strict)));
      return false;
    },
    lookAheadFrom(from, run) {
      collecting = true;
      lookFrom = from;
      soonest = Infinity;
      try {
        const value = run();
        return { value, soonest };
      } finally {
        collecting = false;
      }
    },
  };
}

/** What `createWatchdog` prepares once per charter, shared by every case it looks at. */
interface WatchdogPlan {
  readonly c: CompiledCharter;
  readonly norms: StateNorms;
  readonly leads: ReadonlyMap<string, string>;
  readonly checkStall: boolean;
  readonly slaGoals: number;
  readonly slaSteps: readonly CompiledStep[];
  readonly idleSteps: readonly CompiledStep[];
  readonly ladderIndex: ReadonlyMap<string, number>;
  /** Highest crossed step per ladder, reused between cases (cleared per case). */
  readonly crossed: (CompiledStep | null)[];
  readonly lines: WatchLines;
}

function planWatchdog(c: CompiledCharter, options: WatchdogOptions): WatchdogPlan {
  const checks = new Set<WatchdogCheck>(options.checks ?? WATCHDOG_CHECKS);
  const ladderIndex = new Map<string, number>();
  for (const s of [...c.slaSteps, ...c.idleSteps])
    if (!ladderIndex.has(s.ladder.id)) ladderIndex.set(s.ladder.id, ladderIndex.size);
  return {
    c,
    norms: stateNorms(c, options),
    leads: teamLeads(c),
    checkStall: checks.has('stall'),
    slaGoals: checks.has('sla') ? c.goals.length : 0,
    slaSteps: checks.has('sla') ? c.slaSteps : [],
    idleSteps: checks.has('idle') ? c.idleSteps : [],
    ladderIndex,
    crossed: new Array<CompiledStep | null>(ladderIndex.size).fill(null),
    lines: createWatchLines(c.calendar),
  };
}

/** The words a message or an evidence line says about a case: state, idle time, what blocks it, its stakes. */
function caseContext(c: CompiledCharter, wc: WatchCase, now: number, idle: number): Record<string, string> {
  const mapping = wc.state === null ? null : c.resolve(wc.state);
  const blocking =
    wc.missing !== undefined && wc.missing.length > 0
      ? `missing ${wc.missing.join(', ')}`
      : mapping?.phase === 'waiting'
        ? `waiting on ${mapping.waitingReason ?? 'internal'}`
        : 'nothing recorded';
  const priority = str(wc.attributes['priority']);
  const customer = str(wc.attributes['customer']) ?? str(wc.attributes['impact']);
  let sla = '';
  for (let i = 0; i < c.goals.length; i++) {
    const clock = wc.clocks[i];
    if (clock === null || clock === undefined || clock.status === 'stopped' || clock.status === 'pending') continue;
    const g = c.goals[i]!;
    const left = g.targetMs - elapsedAt(g, clock, now);
    sla = left >= 0 ? `${g.id} due in ${formatDuration(left)}` : `${g.id} breached by ${formatDuration(-left)}`;
    break;
  }
  const stakes = [priority === null ? null : `priority ${priority}`, customer, sla === '' ? null : sla]
    .filter((x) => x !== null)
    .join('; ');
  return {
    case: wc.caseId,
    title: wc.title ?? wc.caseId,
    state: wc.state ?? 'unknown',
    owner: wc.owner ?? 'nobody',
    idle: formatDuration(idle),
    since: formatTimestamp(wc.enteredStateAt).slice(0, 16).replace('T', ' '),
    blocking,
    waiting:
      str(wc.attributes['reporter']) ??
      (mapping?.phase === 'waiting' ? (mapping.waitingReason ?? 'internal') : 'the requester'),
    stakes: stakes === '' ? 'none recorded' : stakes,
    goal: sla === '' ? 'none' : sla,
    remaining: sla === '' ? 'n/a' : sla,
  };
}

function evidenceOf(ctx: Record<string, string>, extra: DecisionEvidence[]): DecisionEvidence[] {
  return [
    { label: 'state', value: ctx['state']!, source: 'case' },
    { label: 'in state since', value: ctx['since']!, source: 'case' },
    { label: 'idle (business time)', value: ctx['idle']!, source: 'calendar:default' },
    { label: 'blocking', value: ctx['blocking']!, source: 'workflow' },
    { label: 'waiting', value: ctx['waiting']!, source: 'case' },
    { label: 'stakes', value: ctx['stakes']!, source: 'case' },
    ...extra,
  ];
}

/**
 * One case's proposals as they are found; the case's context and targets are worked out once, when a
 * proposal first needs them. A class, not an object of closures: most cases propose nothing, and
 * making seven closures per case was most of a quiet case's cost (their allocation, their collection).
 */
class ProposalDraft {
  readonly plan: WatchdogPlan;
  readonly wc: WatchCase;
  readonly now: number;
  readonly idle: number;
  private out: Proposal[] | null = null;
  private ctx: Record<string, string> | null = null;
  private targetsOf: StepTargets | null = null;

  constructor(plan: WatchdogPlan, wc: WatchCase, now: number, idle: number) {
    this.plan = plan;
    this.wc = wc;
    this.now = now;
    this.idle = idle;
  }

  get targets(): StepTargets {
    const { wc } = this;
    return (this.targetsOf ??= {
      owner: wc.owner,
      lead: wc.owner === null ? null : (this.plan.leads.get(wc.owner) ?? null),
    });
  }

  context(): Record<string, string> {
    return (this.ctx ??= caseContext(this.plan.c, this.wc, this.now, this.idle));
  }

  add(
    rule: string,
    threshold: string,
    actions: Action[],
    reason: string,
    confidence: number,
    extra: DecisionEvidence[],
  ): void {
    const { wc } = this;
    const reporter = wc.attributes['reporter'];
    // The people the texts may name by id (owner, the reporter waited on, the lead): a caller names them.
    const people = [
      ...new Set(
        [wc.owner, typeof reporter === 'string' ? reporter : null, this.targets.lead].filter(
          (p): p is string => p !== null && p !== '',
        ),
      ),
    ];
    (this.out ??= []).push({
      caseId: wc.caseId,
      pattern: 'watchdog',
      rule,
      threshold,
      actions,
      reason,
      evidence: evidenceOf(this.context(), extra),
      confidence,
      risk: 'low',
      at: this.now,
      ...(people.length === 0 ? {} : { people }),
    });
  }

  proposals(): readonly Proposal[] {
    return this.out ?? NO_PROPOSALS;
  }
}

/** Stall: idle beyond the state's norm, once per visit of the state. */
function proposeStall(plan: WatchdogPlan, draft: ProposalDraft, state: string): void {
  const { wc } = draft;
  const norm = plan.checkStall ? plan.norms.of(state) : Infinity;
  if (!plan.lines.idle(draft.idle, norm, true, wc.lastActivityAt)) return;
  const threshold = `stall:${state}@${wc.enteredStateAt}`;
  const to = wc.owner ?? draft.targets.lead;
  if (wc.takenSteps.has(threshold) || to === null) return;
  const ctx = draft.context();
  const message = `${wc.caseId} has been idle in ${state} for ${ctx['idle']} (norm ${formatDuration(norm)}). Blocking: ${ctx['blocking']}; waiting: ${ctx['waiting']}; stakes: ${ctx['stakes']}.`;
  draft.add(
    'watchdog.stall',
    threshold,
    [{ kind: 'notify', to, message }],
    `idle ${ctx['idle']} in ${state}, beyond its norm of ${formatDuration(norm)}`,
    0.8,
    [{ label: 'norm', value: formatDuration(norm), source: plan.norms.source(state) }],
  );
}

/** SLA warnings and breaches; marks the SLA ladders' steps that are crossed. */
function proposeSla(plan: WatchdogPlan, draft: ProposalDraft): void {
  const { c, lines } = plan;
  const { wc, now } = draft;
  for (let i = 0; i < plan.slaGoals; i++) {
    const clock = wc.clocks[i];
    if (clock === null || clock === undefined || clock.status === 'pending' || clock.status === 'stopped') continue;
    const g = c.goals[i]!;
    const consumed = elapsedAt(g, clock, now) / g.targetMs;
    // The warning line if the goal has one (the breach is tested once it is crossed), else the breach line alone.
    const warned = g.warnAt.length > 0 ? lines.sla(consumed, g.warnAt[0]!, false, g, clock) : null;
    const breached = warned !== false && lines.sla(consumed, 1, true, g, clock);
    if (warned === true || breached) {
      const threshold = `sla:${g.id}:${breached ? 'breach' : 'warn'}`;
      const to = wc.owner ?? draft.targets.lead;
      if (!wc.takenSteps.has(threshold) && to !== null) {
        const ctx = draft.context();
        const what = breached ? 'breached' : `at ${Math.round(consumed * 100)} % of its target`;
        draft.add(
          'watchdog.sla',
          threshold,
          [
            {
              kind: 'notify',
              to,
              message: `${wc.caseId}: SLA ${g.id} ${what}. Blocking: ${ctx['blocking']}; stakes: ${ctx['stakes']}.`,
            },
          ],
          `SLA ${g.id} ${what}`,
          0.95,
          [{ label: `sla ${g.id} consumed`, value: Math.round(consumed * 1000) / 1000, source: `sla:${g.id}` }],
        );
      }
    }
    for (const s of plan.slaSteps) {
      if (s.goalIndex === i && lines.sla(consumed, s.slaConsumed, false, g, clock))
        plan.crossed[plan.ladderIndex.get(s.ladder.id)!] = s;
    }
  }
}

/** Marks the idle ladders' steps that are crossed. */
function markIdleSteps(plan: WatchdogPlan, draft: ProposalDraft): void {
  for (const s of plan.idleSteps) {
    if (plan.lines.idle(draft.idle, s.idleMs, false, draft.wc.lastActivityAt))
      plan.crossed[plan.ladderIndex.get(s.ladder.id)!] = s;
  }
}

/** Only the highest crossed step of each ladder: once it is taken, the steps below it are moot. */
function proposeLadderSteps(plan: WatchdogPlan, draft: ProposalDraft): void {
  const { wc } = draft;
  for (const s of plan.crossed) {
    if (s === null) continue;
    const threshold = s.goalIndex >= 0 ? s.key : `${s.key}@${wc.enteredStateAt}`;
    if (wc.takenSteps.has(threshold)) continue;
    const message = renderTemplate(s.step.message, draft.context());
    const action = LADDER_STEP_ACTIONS[s.step.do](s.step, draft.targets, message);
    if (action === null) continue;
    const why =
      s.goalIndex >= 0
        ? `SLA ${plan.c.goals[s.goalIndex]!.id} consumed ≥ ${s.slaConsumed * 100} %`
        : `idle ≥ ${s.step.idle}`;
    draft.add(
      'watchdog.ladder',
      threshold,
      [action],
      `escalation ladder ${s.ladder.id} step ${s.index + 1} (${s.step.do}): ${why}`,
      0.9,
      [{ label: 'ladder step', value: `${s.ladder.id}#${s.index + 1}`, source: 'charter' }],
    );
  }
}

function proposeFor(plan: WatchdogPlan, wc: WatchCase, now: number): readonly Proposal[] {
  const { c } = plan;
  if (wc.state === null || !c.inScope(wc)) return NO_PROPOSALS;
  if (c.resolve(wc.state).phase === 'done') return NO_PROPOSALS;
  const since = wc.lastActivityAt > now ? now : wc.lastActivityAt;
  const draft = new ProposalDraft(plan, wc, now, businessTimeBetween(c.calendar, since, now));
  proposeStall(plan, draft, wc.state);
  plan.crossed.fill(null);
  proposeSla(plan, draft);
  markIdleSteps(plan, draft);
  proposeLadderSteps(plan, draft);
  return draft.proposals();
}

/** The proposals through the charter's gate, counting each nudge that goes out against the caps. */
function evaluateCase(plan: WatchdogPlan, wc: WatchCase, now: number, personNudges: Map<string, number>): Decision[] {
  const proposals = proposeFor(plan, wc, now);
  if (proposals.length === 0) return EMPTY;
  let nudges = wc.nudgesToday ?? 0;
  const out: Decision[] = [];
  for (const p of proposals) {
    const d = applyCharter(p, plan.c, {
      now,
      caseNudgesToday: nudges,
      personNudgesToday: personNudges,
      lastHumanActivityAt: wc.lastHumanActivityAt,
    });
    if (d.disposition !== 'drop') {
      for (const a of d.actions) {
        if (a.kind === 'notify' || a.kind === 'escalate' || a.kind === 'requestInfo') {
          const to = a.kind === 'requestInfo' ? a.from : a.to;
          personNudges.set(to, (personNudges.get(to) ?? 0) + 1);
          nudges++;
        }
      }
    }
    out.push(d);
  }
  return out;
}

const signature = (ds: readonly Decision[]): string =>
  ds.map((d) => `${d.id} ${d.disposition} ${d.dispositionRule}`).join('\n');

/** `evaluate` at `t` with the look-ahead on: the decisions and the soonest instant after `t` that could change them. */
function lookAhead(
  plan: WatchdogPlan,
  wc: WatchCase,
  t: number,
  today: number,
): { decisions: Decision[]; next: number } {
  const { value: decisions, soonest } = plan.lines.lookAheadFrom(t, () => evaluateCase(plan, wc, t, new Map()));
  let next = soonest;
  // A nudge the gate weighed can change with its clock; one capped by today's count, at midnight.
  const nudges = decisions.filter(
    (d) => d.because?.code !== 'autonomy.off' && d.actions.some((a) => traitsOf(a).nudge),
  );
  if (nudges.length > 0)
    next = Math.min(
      next,
      nextGateChangeAt(plan.c, { now: t, lastHumanActivityAt: wc.lastHumanActivityAt }) ?? Infinity,
    );
  if ((wc.nudgesToday ?? 0) > 0 && nudges.some((d) => d.because?.code === 'caps.perCaseDay'))
    next = Math.min(next, (today + 1) * UTC_DAY_MS);
  return { decisions, next };
}

function nextDueAtFor(plan: WatchdogPlan, wc: WatchCase, now: number): number | null {
  const day = Math.floor(now / UTC_DAY_MS);
  const later = wc.nudgesToday === undefined || wc.nudgesToday === 0 ? wc : { ...wc, nudgesToday: 0 };
  const first = lookAhead(plan, wc, now, day);
  const before = signature(first.decisions);
  let next = first.next;
  // A candidate where nothing changes (a step already taken, quiet hours that a recent touch
  // outweighs) moves the look-ahead there; a few rounds settle any real case, the bound only guards.
  for (let round = 0; round < 64 && next !== Infinity; round++) {
    const at = lookAhead(plan, Math.floor(next / UTC_DAY_MS) === day ? wc : later, next, day);
    if (signature(at.decisions) !== before) return next;
    next = at.next;
  }
  return next === Infinity ? null : next;
}

/**
 * Precomputes everything per charter (norms, leads, ladders) so that evaluating a case that needs
 * nothing costs a state lookup, one business-time difference and one per SLA clock.
 * @example const dog = createWatchdog(charter, { norms }); const decisions = dog.run(cases, now);
 */
export function createWatchdog(charter: Charter | CompiledCharter, options: WatchdogOptions = {}): Watchdog {
  const plan = planWatchdog('charter' in charter ? charter : compileCharter(charter), options);
  const evaluate = (wc: WatchCase, now: number, personNudges: Map<string, number> = new Map()): Decision[] =>
    evaluateCase(plan, wc, now, personNudges);
  return {
    evaluate,
    propose: (wc, now) => proposeFor(plan, wc, now),
    nextDueAt: (wc, now) => nextDueAtFor(plan, wc, now),
    run(cases, now) {
      const personNudges = new Map<string, number>();
      const out: Decision[] = [];
      for (const wc of cases) {
        const ds = evaluate(wc, now, personNudges);
        for (const d of ds) out.push(d);
      }
      return out;
    },
  };
}
