import type { Charter, Team } from '../../charter/charter-schema.ts';
import { compileCharter, matchesAttributes, type CompiledCharter } from '../../charter/compile-charter.ts';
import type { CaseRecord } from '../../model/case.ts';
import type { CaseEvent } from '../../model/event.ts';
import { addBusinessTime, businessTimeBetween } from '../../time/calendar.ts';
import { formatTimestamp } from '../../time/timestamp.ts';
import type { Action } from '../../decision/action.ts';
import { applyCharter, nextGateChangeAt, type GateContext } from '../../charter/apply-charter.ts';
import { checkReadiness } from '../clerk/clerk-readiness.ts';
import { ownerAfter, stateAfter } from '../../model/case-snapshot.ts';
import type { Decision, DecisionEvidence, Proposal } from '../../decision/decision.ts';
import { attributesAtCreation, computeClock, goalsFor, readClock } from '../../sla/sla.ts';

/** One field's ranked labels from a classifier. `modelMade` marks a language model's guess. */
export interface FieldPrediction {
  readonly field: string;
  readonly ranked: readonly { readonly label: string; readonly probability: number }[];
  readonly modelId: string;
  readonly modelMade?: boolean;
}

/** The classifier port: the default reads the charter's keyword rules; a trained model can replace it. */
export interface RouterClassifier {
  classify(c: CaseRecord): readonly FieldPrediction[];
}

export interface RouterContext {
  readonly now: number;
  readonly classifier?: RouterClassifier;
  /** Open cases per person now (for load limits). */
  readonly load?: ReadonlyMap<string, number>;
  /** Cases each person resolved per label (`component:iOS` or just `iOS`): the skills history. */
  readonly skills?: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Thresholds already taken on this case (as for the watchdog). */
  readonly takenSteps?: ReadonlySet<string>;
  /** Caps state for the gate. */
  readonly gate?: Omit<GateContext, 'now'>;
  /** Which steps to run (default all): a clock tick needs only the missing-information loop. */
  readonly steps?: readonly RouterStep[];
}

/** The router's steps, in the order it runs them. */
export const ROUTER_STEPS = ['classify', 'owner', 'due', 'ready'] as const;
export type RouterStep = (typeof ROUTER_STEPS)[number];

/**
 * The default classifier: each charter `routing.classify` rule whose keyword appears in the title or
 * description (word-bounded, case-insensitive) votes for its label; probability = votes share,
 * damped by how many keywords matched at all.
 */
export function createRuleClassifier(charter: Charter | CompiledCharter): RouterClassifier {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const rules = c.charter.routing.classify.map((r) => ({
    rule: r,
    patterns: r.keywords.map(
      (k) => new RegExp(`(^|[^\\p{L}\\p{N}])${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`, 'iu'),
    ),
  }));
  return {
    classify(record) {
      const text = `${record.title ?? ''}\n${record.description ?? ''}`;
      const votes = new Map<string, Map<string, number>>();
      for (const { rule, patterns } of rules) {
        if (!matchesAttributes(rule.when, record.attributes)) continue;
        const hits = patterns.filter((p) => p.test(text)).length;
        if (hits === 0) continue;
        const field = votes.get(rule.field) ?? new Map<string, number>();
        field.set(rule.label, (field.get(rule.label) ?? 0) + hits);
        votes.set(rule.field, field);
      }
      return [...votes].map(([field, labels]) => {
        const total = [...labels.values()].reduce((a, b) => a + b, 0);
        // One keyword is weak evidence; three or more agreeing is as good as the rules get.
        const strength = Math.min(1, 0.55 + 0.15 * total);
        const ranked = [...labels]
          .map(([label, n]) => ({ label, probability: (n / total) * strength }))
          .sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
        return { field, ranked, modelId: 'charter-rules' };
      });
    },
  };
}

function reporterOf(record: CaseRecord): string | null {
  const r = record.attributes['reporter'];
  if (typeof r === 'string' && r !== '') return r;
  return record.events.find((e) => e.kind === 'created')?.actor ?? null;
}

function hasValue(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);
}

/**
 * The router on a new or changed case at `now`: classification (empty fields only), an owner by
 * ownership rules, skills history and load, a due date from the SLA, and the missing-information
 * loop of the current state's definition of ready (request → remind → escalate → move on when the
 * charter says so; the loop closes when the information arrives).
 * @example routeCase(record, charter, { now, load, skills })
 */
export function routeCase(record: CaseRecord, charter: Charter | CompiledCharter, context: RouterContext): Decision[] {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const { now } = context;
  return proposeRoutes(record, c, context).map((p) => applyCharter(p, c, { now, ...context.gate }));
}

/** One call of `proposeRoutes`: the case as it stood at `now`, and where its proposals go. */
interface RouteRun {
  readonly c: CompiledCharter;
  readonly record: CaseRecord;
  readonly context: RouterContext;
  readonly now: number;
  readonly steps: ReadonlySet<RouterStep>;
  readonly taken: ReadonlySet<string>;
  /** The events up to `now`. */
  readonly events: readonly CaseEvent[];
  readonly state: string | null;
  readonly owner: string | null;
  /** When the case entered `state`. */
  readonly enteredAt: number;
  /** A field's value: its last change up to `now`, else the case attribute. */
  fieldValue(field: string): unknown;
  /** A confidence held just below the charter's act line (a model's guess never clears it on its own). */
  belowAct(confidence: number): number;
  /** Adds a proposal unless its threshold was already taken. */
  propose(p: Omit<Proposal, 'caseId' | 'pattern' | 'at'>): void;
}

/** What a case's events up to `now` leave it with: state, owner, when it entered the state, changed fields. */
function foldCase(record: CaseRecord, now: number) {
  const events = record.events.filter((e) => e.at <= now);
  let state: string | null = null;
  let owner: string | null = null;
  let enteredAt = events[0]?.at ?? now;
  const fields = new Map<string, string | null>();
  for (const e of events) {
    const s = stateAfter(e);
    if (s !== undefined && s !== state) {
      state = s;
      enteredAt = e.at;
    }
    const o = ownerAfter(e);
    if (o !== undefined) owner = o;
    if (e.kind === 'field' && e.field !== undefined) fields.set(e.field, e.to ?? null);
  }
  if (events.length === record.events.length) {
    state ??= record.state ?? null;
    owner ??= record.owner ?? null;
  }
  return { events, state, owner, enteredAt, fields };
}

/** The classifier's top label per field, and which of them a language model guessed (field → model id). */
interface Predictions {
  readonly predicted: ReadonlyMap<string, string>;
  readonly modelFields: ReadonlyMap<string, string>;
}

/** 1. Classification: fill empty fields; a model's guess never clears the act line on its own. */
function proposeClassification(run: RouteRun): Predictions {
  const { c, record, context, steps } = run;
  const predicted = new Map<string, string>();
  // Fields whose prediction is a language model's guess: anything built on them is model-made too.
  const modelFields = new Map<string, string>();
  const classifier =
    steps.has('classify') || steps.has('owner') ? (context.classifier ?? createRuleClassifier(c)) : null;
  for (const p of classifier?.classify(record) ?? []) {
    const top = p.ranked[0];
    if (top === undefined) continue;
    predicted.set(p.field, top.label);
    if (p.modelMade === true) modelFields.set(p.field, p.modelId);
    if (!steps.has('classify') || hasValue(run.fieldValue(p.field))) continue;
    const confidence = p.modelMade === true ? run.belowAct(top.probability) : top.probability;
    run.propose({
      rule: 'router.classify',
      ...(p.modelMade === true ? { source: 'model' as const } : {}),
      threshold: `field:${p.field}=${top.label}`,
      actions: [{ kind: 'setField', field: p.field, value: top.label }],
      reason: `${p.field} looks like ${top.label} (${p.modelMade === true ? `model-made: ${p.modelId}` : p.modelId})`,
      evidence: p.ranked.slice(0, 3).map((r) => ({
        label: `${p.field}=${r.label}`,
        value: Math.round(r.probability * 1000) / 1000,
        source: `classifier:${p.modelId}`,
      })),
      confidence,
      risk: 'low',
    });
  }
  return { predicted, modelFields };
}

interface MemberChoice {
  readonly id: string;
  readonly score: number;
  readonly why: string;
  /** A skill that a model's guess named picked this member. */
  readonly byModel: boolean;
}

/** The team member with the best skills-and-load score (ties to the smaller id), or null when all are full. */
function pickMember(run: RouteRun, team: Team, { predicted, modelFields }: Predictions): MemberChoice | null {
  const { c, context } = run;
  const labels = [...predicted.values()];
  const modelLabels = new Set([...modelFields.keys()].map((f) => predicted.get(f)!.toLowerCase()));
  const load = (p: string): number => context.load?.get(p) ?? 0;
  let choice: MemberChoice | null = null;
  for (const m of team.members) {
    if (load(m.id) >= (m.maxOpen ?? c.charter.routing.maxOpenPerPerson)) continue;
    const matched = labels.filter((l) => m.skills.some((s) => l.toLowerCase() === s.toLowerCase()));
    const declared = matched.length;
    const history = labels.reduce((n, l) => n + (context.skills?.get(m.id)?.get(l) ?? 0), 0);
    const byModel =
      matched.some((l) => modelLabels.has(l.toLowerCase())) ||
      labels.some((l) => modelLabels.has(l.toLowerCase()) && (context.skills?.get(m.id)?.get(l) ?? 0) > 0);
    const score = declared + Math.min(1, history / 10) - load(m.id) / 1000;
    if (choice === null || score > choice.score || (score === choice.score && m.id < choice.id)) {
      choice = { id: m.id, score, why: `skills ${declared}, history ${history}, open ${load(m.id)}`, byModel };
    }
  }
  return choice;
}

/** 2. Owner: the first ownership rule that matches (attributes, then predictions), skills and load decide the member. */
function proposeOwner(run: RouteRun, predictions: Predictions): void {
  const { c, record } = run;
  const { predicted, modelFields } = predictions;
  if (run.owner !== null || !run.steps.has('owner')) return;
  const rule = c.charter.routing.ownership.find((r) => matchesAttributes(r.when, record.attributes, predicted));
  const teams = new Map<string, Team>(c.charter.routing.teams.map((t) => [t.id, t]));
  const team = rule === undefined ? undefined : teams.get(rule.team);
  if (rule === undefined || team === undefined) return;
  // Did a model's guess pick the rule, or the member (by a skill it named)? Then the owner is model-made.
  const ruleByModel =
    modelFields.size > 0 &&
    !matchesAttributes(rule.when, record.attributes, new Map([...predicted].filter(([f]) => !modelFields.has(f))));
  const choice: MemberChoice | null =
    rule.owner !== undefined
      ? { id: rule.owner, score: 1, why: `rule ${rule.id} names the owner`, byModel: false }
      : pickMember(run, team, predictions);
  const byModel = ruleByModel || choice?.byModel === true;
  const modelNote = byModel ? ` (model-made: ${[...new Set(modelFields.values())].join(', ')})` : '';
  const evidence: DecisionEvidence[] = [
    { label: 'ownership rule', value: rule.id, source: 'charter' },
    { label: 'team', value: team.id, source: 'charter' },
  ];
  if (choice === null) {
    // Everyone is at the load limit: route to the team's queue and tell the lead.
    const actions: Action[] = [{ kind: 'assign', to: team.id, team: team.id }];
    if (team.lead !== undefined)
      actions.push({
        kind: 'notify',
        to: team.lead,
        message: `${record.id} went to the ${team.id} queue: every member is at the load limit.`,
      });
    const confidence = byModel ? run.belowAct(0.6) : 0.6;
    run.propose({
      rule: 'router.owner',
      ...(byModel ? { source: 'model' as const } : {}),
      threshold: `owner:${team.id}`,
      actions,
      reason: `every member of ${team.id} is at the load limit${modelNote}`,
      evidence,
      confidence,
      risk: 'low',
    });
  } else {
    const confidence = rule.owner !== undefined ? 0.95 : choice.score >= 1 ? 0.9 : 0.7;
    run.propose({
      rule: 'router.owner',
      ...(byModel ? { source: 'model' as const } : {}),
      threshold: `owner:${team.id}`,
      actions: [{ kind: 'assign', to: choice.id, team: team.id }],
      reason: `${rule.id}: ${team.id}, ${choice.id} (${choice.why})${modelNote}`,
      evidence: [...evidence, { label: 'member', value: choice.id, source: 'skills+load' }],
      confidence: byModel ? run.belowAct(confidence) : confidence,
      risk: 'low',
    });
  }
}

/** 3. Due date from the first applicable SLA goal. */
function proposeDue(run: RouteRun): void {
  const { c, record, now } = run;
  if (!run.steps.has('due') || record.due !== undefined || hasValue(run.fieldValue('duedate'))) return;
  const goal = goalsFor(c, record)[0];
  if (goal === undefined) return;
  const reading = readClock(goal, computeClock(goal, c.resolve, run.events, attributesAtCreation(record)), now);
  const due =
    reading.dueAt ?? (reading.status === 'pending' ? addBusinessTime(goal.calendar, now, goal.targetMs) : null);
  if (due === null) return;
  run.propose({
    rule: 'router.due',
    threshold: `due:${goal.id}`,
    actions: [{ kind: 'setField', field: 'duedate', value: formatTimestamp(due) }],
    reason: `SLA ${goal.id}: ${goal.goal.target} of business time`,
    evidence: [{ label: `sla ${goal.id} target`, value: goal.goal.target, source: 'charter' }],
    confidence: 0.95,
    risk: 'low',
  });
}

/** 4. The missing-information loop of the current state's definition of ready. */
function proposeReadiness(run: RouteRun): void {
  const { c, record, now, state, owner, enteredAt } = run;
  const config = state === null ? undefined : c.states.get(state.toLowerCase());
  if (!run.steps.has('ready') || state === null || config === undefined || config.ready.length === 0) return;
  const readiness = checkReadiness(record, state, config.ready, now, owner);
  const key = `ready:${state}@${enteredAt}`;
  const missing = readiness.items.filter((i) => i.status === 'missing').map((i) => i.requirement);
  const evidence: DecisionEvidence[] = readiness.items.map((i) => ({
    label: i.requirement,
    value: i.status,
    source: i.detail,
  }));
  const reporter = reporterOf(record);
  if (missing.length > 0 && reporter !== null) askForMissing(run, state, key, missing, reporter, evidence);
  else if (missing.length === 0 && (run.taken.has(`${key}:request`) || c.resolve(state).phase === 'waiting')) {
    // Everything arrived: close the loop (move on when the charter says where) and tell the owner.
    const actions: Action[] = [];
    if (config.onReady !== undefined) actions.push({ kind: 'transition', to: config.onReady });
    if (owner !== null)
      actions.push({ kind: 'notify', to: owner, message: `${record.id}: everything ${state} needs has arrived.` });
    if (actions.length > 0) {
      run.propose({
        rule: 'router.ready.closed',
        threshold: `${key}:closed`,
        actions,
        reason: `the definition of ready of ${state} is met`,
        evidence,
        confidence: 0.9,
        risk: 'low',
      });
    }
  }
}

/** Who a missing-information loop escalates to: the owner's team lead, else the charter's `missingInfo.escalateTo`. */
function escalationTarget(c: CompiledCharter, owner: string | null): string | undefined {
  const lead =
    owner === null
      ? undefined
      : c.charter.routing.teams.find((t) => t.id === owner || t.members.some((m) => m.id === owner))?.lead;
  return lead ?? c.charter.missingInfo.escalateTo;
}

/** The loop's steps while information is missing, in order (`closed` ends a loop whose information arrived). */
type AskStep = 'request' | 'remind' | 'escalate' | 'timeout';

/**
 * Request what is missing from the reporter, remind them, then escalate to the owner's lead (or the
 * charter's); when the charter says so (`missingInfo.close`), move the issue on once the reporter was
 * asked and the time ran out, and tell them why. Each step once.
 */
function askForMissing(
  run: RouteRun,
  state: string,
  key: string,
  missing: string[],
  reporter: string,
  evidence: DecisionEvidence[],
): void {
  const { c, record, now, owner, enteredAt, taken } = run;
  const lead = escalationTarget(c, owner);
  const waited = businessTimeBetween(c.calendar, enteredAt, now);
  const close = c.charter.missingInfo.close;
  const asked = taken.has(`${key}:request`);
  const step: AskStep =
    close !== undefined && c.closeAfterMs !== null && waited >= c.closeAfterMs && asked
      ? 'timeout'
      : waited >= c.escalateAfterMs && lead !== undefined
        ? 'escalate'
        : waited >= c.remindAfterMs && asked
          ? 'remind'
          : 'request';
  const list = missing.join(', ');
  const actions: Action[] =
    step === 'timeout'
      ? [
          { kind: 'transition', to: close!.to },
          {
            kind: 'notify',
            to: reporter,
            message: `${record.id} moved to ${close!.to}: ${list} did not arrive within ${close!.after} of business time. Reply with it to have it looked at again.`,
          },
        ]
      : step === 'escalate'
        ? [
            {
              kind: 'escalate',
              to: lead!,
              message: `${record.id} has waited for ${list} from ${reporter} since it entered ${state}.`,
            },
          ]
        : [
            {
              kind: 'requestInfo',
              from: reporter,
              items: missing,
              message: `${step === 'remind' ? 'Reminder: to' : 'To'} move ${record.id} forward we need ${list}.`,
            },
          ];
  if (taken.has(`${key}:${step}`) || taken.has(`${key}:timeout`)) return;
  const later = (['remind', 'escalate'] as const).filter((s) => taken.has(`${key}:${s}`));
  if (step === 'request' && later.length > 0) return;
  if (step === 'remind' && taken.has(`${key}:escalate`)) return;
  run.propose({
    rule: `router.ready.${step}`,
    threshold: `${key}:${step}`,
    actions,
    // The escalation names the reporter to the lead: a caller shows them by name.
    ...(step === 'escalate' ? { people: [reporter] } : {}),
    reason:
      step === 'timeout'
        ? `${state} needs ${list}, asked for and not given within ${close!.after}`
        : `${state} needs ${list} before it can move on`,
    evidence,
    confidence: 0.9,
    // Moving the issue on for lack of an answer is harder to undo than a question.
    risk: step === 'timeout' ? 'medium' : 'low',
  });
}

/** What the router proposes for a case at `now`, before the charter's gate (`routeCase` gates them; the replay gates itself). */
export function proposeRoutes(
  record: CaseRecord,
  charter: Charter | CompiledCharter,
  context: RouterContext,
): Proposal[] {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  if (!c.inScope(record)) return [];
  const { now } = context;
  const { events, state, owner, enteredAt, fields } = foldCase(record, now);
  if (state !== null && c.resolve(state).phase === 'done') return [];
  const taken = context.takenSteps ?? new Set<string>();
  const out: Proposal[] = [];
  const run: RouteRun = {
    c,
    record,
    context,
    now,
    steps: new Set<RouterStep>(context.steps ?? ROUTER_STEPS),
    taken,
    events,
    state,
    owner,
    enteredAt,
    fieldValue: (f) => (fields.has(f) ? fields.get(f) : record.attributes[f]),
    belowAct: (confidence) => Math.min(confidence, Math.max(0, c.charter.confidence.act - 0.01)),
    propose(p) {
      if (taken.has(p.threshold)) return;
      out.push({ ...p, caseId: record.id, pattern: 'router', at: now });
    },
  };
  const predictions = proposeClassification(run);
  proposeOwner(run, predictions);
  proposeDue(run);
  proposeReadiness(run);
  return out;
}

const UTC_DAY_MS = 86_400_000;

/** What `missingInfoDueAt` reads besides the case: the loop's settled steps and the last human touch. */
export interface MissingInfoClock {
  readonly now: number;
  /** The loop's thresholds already settled (`ready:<state>@<entered>:<step>`), as `routeCase` takes them. */
  readonly takenSteps?: ReadonlySet<string>;
  /** When a person last touched the case (the gate holds a nudge for a while after). */
  readonly lastHumanActivityAt?: number | null;
}

/**
 * When the missing-information loop of a case could propose something new though nothing changes on
 * the case: the reminder or the escalation line of the current visit of its state, or — while a step
 * is due but the gate holds it (a recent touch by the reporter who just created it, quiet hours) —
 * when the gate's clock next changes. Null when the loop has nothing left to wait for (no definition
 * of ready, everything present, escalated). The loop is `routeCase`'s; this only says when to run it.
 * @example setDue(key, missingInfoDueAt(record, charter, { now, takenSteps }))
 */
export function missingInfoDueAt(
  record: CaseRecord,
  charter: Charter | CompiledCharter,
  clock: MissingInfoClock,
): number | null {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const { now } = clock;
  if (!c.inScope(record)) return null;
  const { state, owner, enteredAt } = foldCase(record, now);
  if (state === null || c.resolve(state).phase === 'done') return null;
  const config = c.states.get(state.toLowerCase());
  if (config === undefined || config.ready.length === 0) return null;
  const taken = clock.takenSteps ?? new Set<string>();
  const candidates: number[] = [];
  // A step still open after the caller settled what it could was held back by the gate: it is tried
  // again when the gate's clock turns, or on the next UTC day (the per-day caps), whichever is first.
  if (proposeRoutes(record, c, { now, takenSteps: taken, steps: ['ready'] }).length > 0) {
    candidates.push((Math.floor(now / UTC_DAY_MS) + 1) * UTC_DAY_MS);
    candidates.push(nextGateChangeAt(c, { now, lastHumanActivityAt: clock.lastHumanActivityAt ?? null }) ?? Infinity);
  }
  const missing = checkReadiness(record, state, config.ready, now, owner).items.some((i) => i.status === 'missing');
  const key = `ready:${state}@${enteredAt}`;
  if (missing && reporterOf(record) !== null && !taken.has(`${key}:timeout`)) {
    if (!taken.has(`${key}:escalate`)) {
      if (taken.has(`${key}:request`) && !taken.has(`${key}:remind`))
        candidates.push(addBusinessTime(c.calendar, enteredAt, c.remindAfterMs));
      if (escalationTarget(c, owner) !== undefined)
        candidates.push(addBusinessTime(c.calendar, enteredAt, c.escalateAfterMs));
    }
    if (c.closeAfterMs !== null && taken.has(`${key}:request`))
      candidates.push(addBusinessTime(c.calendar, enteredAt, c.closeAfterMs));
  }
  const next = Math.min(...candidates.filter((t) => t > now));
  return next === Infinity ? null : next;
}
