import type { ActionKind } from '../decision/action.ts';
import type { CaseRecord } from '../model/case.ts';
import { createWorkflowResolver, type WorkflowResolver } from '../model/workflow.ts';
import { DEFAULT_CALENDAR, defineCalendar, type Calendar } from '../time/calendar.ts';
import type {
  AttributeMatch,
  Autonomy,
  Charter,
  CharterState,
  ClockCondition,
  Ladder,
  LadderStep,
  SlaGoal,
} from './charter-schema.ts';
import { parseDuration } from './duration.ts';

/** An SLA goal ready for the clocks: target in ms, its calendar, the conditions it reads. */
export interface CompiledGoal {
  readonly goal: SlaGoal;
  readonly id: string;
  readonly targetMs: number;
  readonly calendar: Calendar;
  /** Ascending fractions; the first is the at-risk line. */
  readonly warnAt: readonly number[];
  readonly start: readonly ClockCondition[];
  readonly pause: readonly ClockCondition[];
  readonly stop: readonly ClockCondition[];
  /** Fields any condition reads (the clocks track only these). */
  readonly fields: readonly string[];
}

export interface CompiledStep {
  readonly ladder: Ladder;
  readonly step: LadderStep;
  readonly index: number;
  /** Index into `goals` for `slaConsumed` steps, -1 for idle steps. */
  readonly goalIndex: number;
  readonly slaConsumed: number;
  readonly idleMs: number;
  /** The idempotency threshold of the step: `ladder:<id>:<index>`. */
  readonly key: string;
}

/** A charter prepared once for the patterns: everything they look up per case is precomputed here. */
export interface CompiledCharter {
  readonly charter: Charter;
  readonly calendars: ReadonlyMap<string, Calendar>;
  /** The `default` calendar: quiet hours, idle time and the watchdog's norms are measured in it. */
  readonly calendar: Calendar;
  readonly resolve: WorkflowResolver;
  /** Charter states by lower-cased name. */
  readonly states: ReadonlyMap<string, CharterState>;
  readonly goals: readonly CompiledGoal[];
  readonly slaSteps: readonly CompiledStep[];
  readonly idleSteps: readonly CompiledStep[];
  readonly autonomy: (kind: ActionKind) => Autonomy;
  readonly moneyFields: ReadonlySet<string>;
  readonly priorityFields: ReadonlySet<string>;
  readonly recentTouchMs: number;
  readonly remindAfterMs: number;
  readonly escalateAfterMs: number;
  /** `missingInfo.close.after`, or null when the loop never closes the issue. */
  readonly closeAfterMs: number | null;
  /** Minute of the local day (0–1439) in the default calendar's zone. */
  readonly localMinute: (ms: number) => number;
  readonly inScope: (record: Pick<CaseRecord, 'attributes'>) => boolean;
}

/** True when every listed attribute of `match` has one of its values (arrays match any element). */
export function matchesAttributes(
  match: AttributeMatch,
  attributes: Readonly<Record<string, unknown>>,
  extra?: ReadonlyMap<string, string>,
): boolean {
  for (const key in match) {
    const want = match[key]!;
    const wants = typeof want === 'string' ? [want] : want;
    const have = extra?.get(key) ?? attributes[key];
    const haves = Array.isArray(have) ? have.map(String) : have === undefined || have === null ? [] : [String(have)];
    if (!haves.some((h) => wants.some((w) => w.toLowerCase() === h.toLowerCase()))) return false;
  }
  return true;
}

function conditionFields(conds: readonly ClockCondition[]): string[] {
  const out: string[] = [];
  for (const c of conds) if (c.on === 'field') out.push(c.field);
  return out;
}

function localMinuteFunction(timeZone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' });
  return (ms) => {
    let h = 0;
    let m = 0;
    for (const p of format.formatToParts(ms)) {
      if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'minute') m = Number(p.value);
    }
    return h * 60 + m;
  };
}

const SCOPE_ATTRIBUTES = [
  ['projects', 'project'],
  ['issueTypes', 'issuetype'],
  ['priorities', 'priority'],
  ['labels', 'labels'],
  ['components', 'components'],
] as const;

const cache = new WeakMap<Charter, CompiledCharter>();

/**
 * Prepares a validated charter for the patterns (calendars built, durations in ms, lookups indexed).
 * Cached per charter object, so passing the same charter again costs a map lookup.
 */
export function compileCharter(charter: Charter): CompiledCharter {
  const hit = cache.get(charter);
  if (hit !== undefined) return hit;
  const calendars = new Map<string, Calendar>();
  for (const [name, def] of Object.entries(charter.calendars)) {
    const r = defineCalendar(def);
    // parseCharter validated it with the same schema; failing here is a programmer error.
    if (!r.ok) throw new Error(`calendar ${name} is invalid`);
    calendars.set(name, r.value);
  }
  if (!calendars.has('default')) calendars.set('default', DEFAULT_CALENDAR);
  const calendar = calendars.get('default')!;
  const states = new Map<string, CharterState>();
  // Keys are state names from the charter: no prototype, so 'constructor' or '__proto__' is a state like any other.
  const mapping: Record<string, { phase: CharterState['phase']; waitingReason?: CharterState['waitingReason'] }> =
    Object.create(null);
  for (const [name, s] of Object.entries(charter.workflow.states)) {
    states.set(name.toLowerCase(), s);
    mapping[name] =
      s.waitingReason === undefined ? { phase: s.phase } : { phase: s.phase, waitingReason: s.waitingReason };
  }
  const goals = charter.slaGoals.map((goal): CompiledGoal => ({
    goal,
    id: goal.id,
    targetMs: parseDuration(goal.target)!,
    calendar: calendars.get(goal.calendar) ?? calendar,
    warnAt: [...goal.warnAt].sort((a, b) => a - b),
    start: goal.start,
    pause: goal.pause,
    stop: goal.stop,
    fields: [
      ...new Set([...conditionFields(goal.start), ...conditionFields(goal.pause), ...conditionFields(goal.stop)]),
    ],
  }));
  const slaSteps: CompiledStep[] = [];
  const idleSteps: CompiledStep[] = [];
  for (const ladder of charter.escalation.ladders) {
    ladder.steps.forEach((step, index) => {
      const compiled: CompiledStep = {
        ladder,
        step,
        index,
        goalIndex: step.slaConsumed === undefined ? -1 : goals.findIndex((g) => g.id === ladder.goal),
        slaConsumed: step.slaConsumed ?? Infinity,
        idleMs: step.idle === undefined ? Infinity : parseDuration(step.idle)!,
        key: `ladder:${ladder.id}:${index}`,
      };
      (step.slaConsumed === undefined ? idleSteps : slaSteps).push(compiled);
    });
  }
  const kinds = charter.autonomy.kinds;
  const scope = SCOPE_ATTRIBUTES.filter(([section]) => charter.scope[section].length > 0).map(
    ([section, attribute]) => [attribute, charter.scope[section]] as const,
  );
  const compiled: CompiledCharter = {
    charter,
    calendars,
    calendar,
    resolve: createWorkflowResolver({ states: mapping }),
    states,
    goals,
    slaSteps,
    idleSteps,
    autonomy: (kind) => kinds[kind] ?? charter.autonomy.default,
    moneyFields: new Set(charter.risk.moneyFields),
    priorityFields: new Set(charter.risk.priorityFields),
    recentTouchMs: parseDuration(charter.caps.recentTouch)!,
    remindAfterMs: parseDuration(charter.missingInfo.remindAfter)!,
    escalateAfterMs: parseDuration(charter.missingInfo.escalateAfter)!,
    closeAfterMs: charter.missingInfo.close === undefined ? null : parseDuration(charter.missingInfo.close.after)!,
    localMinute: localMinuteFunction(calendar.timeZone),
    inScope: (record) =>
      scope.every(([attribute, values]) => matchesAttributes({ [attribute]: [...values] }, record.attributes)),
  };
  cache.set(charter, compiled);
  return compiled;
}
