import type { CaseEvent } from '../model/event.ts';
import type { CaseRecord } from '../model/case.ts';
import type { CompiledCharter } from '../charter/compile-charter.ts';
import { applyCharter } from '../charter/apply-charter.ts';
import { traitsOf } from '../decision/action.ts';
import type { Decision, Pattern, Proposal } from '../decision/decision.ts';
import { advanceSnapshot, emptySnapshot, settleSnapshot, type CaseSnapshot } from '../model/case-snapshot.ts';
import { advanceClock, attributesAtCreation, initialClock, type SlaClockState } from '../sla/sla.ts';
import { matchesAttributes } from '../charter/compile-charter.ts';

/**
 * The replay engine: feeds a history to the patterns as if it were happening now, one event at a
 * time (all cases merged in time order) plus clock ticks, passes every proposal through the
 * charter's gate with the caps as they stood at that moment, and keeps what it decided.
 * Pure and incremental: the CLI's `baton replay` and the Forge app's dry run drive the same engine.
 * Idempotent: an event it has seen, a firing it has decided (same idempotency key), a firing dropped
 * again for the same reason and a tick no later than the latest moment it has seen produce nothing
 * new, so replaying the same events and ticks twice yields no new decisions.
 */

/** A case as the engine knows it at the current moment: its events so far and its snapshot. */
export interface ReplayCase {
  /** The case's metadata with the events seen so far (in time order). */
  readonly record: CaseRecord;
  readonly snapshot: CaseSnapshot;
  /** When a person last touched the case (every event of a history is a person's). */
  readonly lastHumanActivityAt: number | null;
  /** When the case entered its current state (its first event before any state is known). */
  readonly enteredStateAt: number;
  /** One SLA clock per charter goal (`charter.goals`), advanced event by event; null where the goal does not apply. */
  readonly clocks: readonly (SlaClockState | null)[];
  /** Thresholds of the firings decided on this case so far (not dropped), for the patterns' ladders and loops. */
  readonly taken: ReadonlySet<string>;
}

/** A fact a pattern noticed that is not a decision (the replay's summary counts them). */
export type ReplayObservation = {
  readonly kind: 'sla.breach';
  readonly caseId: string;
  readonly goal: string;
  readonly at: number;
};

export interface PatternContext {
  readonly now: number;
  readonly charter: CompiledCharter;
  /** Reports an observation to the engine's caller. */
  observe(observation: ReplayObservation): void;
}

/** What a pattern does in one replay: react to events and to clock ticks. */
export interface ReplayHooks {
  /** Sees the snapshot before the event; the case (snapshot, clocks) is already after it. */
  onEvent?(c: ReplayCase, event: CaseEvent, before: CaseSnapshot, ctx: PatternContext): readonly Proposal[];
  /** Runs for open cases on the clock. */
  onTick?(c: ReplayCase, ctx: PatternContext): readonly Proposal[];
}

/**
 * A pattern as the engine runs it. Each declares what it reacts to; the engine stays generic.
 * A pattern that keeps state across a replay (norms learned as it goes, load per person) declares
 * `start`, which the engine calls once per replay for fresh hooks; stateless ones declare the hooks.
 */
export interface ReplayPattern extends ReplayHooks {
  /** Unique among the patterns of a replay (`sla-clocks`, `watchdog`, `router`). */
  readonly id: string;
  /** The pattern its decisions carry. */
  readonly name: Pattern;
  start?(charter: CompiledCharter): ReplayHooks;
}

export interface ReplayEngineOptions {
  readonly charter: CompiledCharter;
  readonly patterns: readonly ReplayPattern[];
  /** Day boundaries for the per-day caps (epoch ms → day number). Default: UTC days. */
  readonly dayOf?: (at: number) => number;
  /** Receives what the patterns observe (SLA breaches). */
  readonly onObservation?: (observation: ReplayObservation) => void;
}

export interface ReplayStats {
  events: number;
  duplicateEvents: number;
  ticks: number;
  proposals: number;
  /** Proposals whose firing was already decided (same idempotency key): not decided again. */
  repeats: number;
  /** Proposals dropped again for the reason they were dropped before (a cap still holding): not recorded again. */
  heldBack: number;
  /** Ticks at or before the latest moment the engine had seen: ignored (time never runs backwards). */
  staleTicks: number;
  outOfScope: number;
}

export interface ReplayEngine {
  /** Registers a case's metadata (its events are ignored: feed them with `event`). */
  addCase(record: CaseRecord): void;
  /** Applies one event of a registered case and returns the decisions it caused. */
  event(event: CaseEvent): Decision[];
  /** Runs the tick patterns over every open case at `now`. */
  tick(now: number): Decision[];
  readonly stats: Readonly<ReplayStats>;
  /** Open cases (phase not `done`), for the caller's own per-tick work. */
  openCases(): Iterable<ReplayCase>;
  getCase(id: string): ReplayCase | undefined;
}

interface MutableCase {
  record: CaseRecord & { events: CaseEvent[] };
  snapshot: CaseSnapshot;
  lastHumanActivityAt: number | null;
  enteredStateAt: number;
  clocks: (SlaClockState | null)[];
  taken: Set<string>;
  /** Firing key → the disposition rule of its last recorded drop. */
  dropped: Map<string, string> | null;
  seen: Set<string>;
  inScope: boolean;
  /** Events the case's record holds: when all have been seen, its current state and owner apply. */
  total: number;
}

const DAY = 86_400_000;

function firingKey(p: Proposal): string {
  return `${p.caseId.length}:${p.caseId}|${p.pattern}|${p.rule.length}:${p.rule}|${p.threshold}${p.source === 'model' ? '|model' : ''}`;
}

function eventKey(e: CaseEvent): string {
  return `${e.at}|${e.kind}|${e.field ?? ''}|${e.from ?? ''}|${e.to ?? ''}|${e.actor ?? ''}|${e.text?.length ?? -1}`;
}

/** Creates an engine over a compiled charter and a list of patterns. */
export function createReplayEngine(options: ReplayEngineOptions): ReplayEngine {
  const { charter, patterns } = options;
  const dayOf = options.dayOf ?? ((at: number) => Math.floor(at / DAY));
  const cases = new Map<string, MutableCase>();
  const open = new Set<MutableCase>();
  const decided = new Set<string>();
  const caseNudges = new Map<string, number>();
  const personNudges = new Map<number, Map<string, number>>();
  const stats: ReplayStats = {
    events: 0,
    duplicateEvents: 0,
    ticks: 0,
    proposals: 0,
    repeats: 0,
    heldBack: 0,
    staleTicks: 0,
    outOfScope: 0,
  };
  const ids = new Set<string>();
  for (const p of patterns) {
    if (ids.has(p.id)) throw new Error(`replay: two patterns with the id '${p.id}'`);
    ids.add(p.id);
  }
  const hooks: ReplayHooks[] = patterns.map((p) => (p.start === undefined ? p : p.start(charter)));
  const eventPatterns = hooks.filter((p) => p.onEvent !== undefined);
  const tickPatterns = hooks.filter((p) => p.onTick !== undefined);
  const observe = options.onObservation ?? ((): void => {});
  // The latest moment seen (event or tick): a tick at or before it has nothing new to say.
  let latest = -Infinity;

  const gate = (c: MutableCase, proposals: readonly Proposal[], now: number, out: Decision[]): void => {
    for (const proposal of proposals) {
      stats.proposals++;
      // The same parts as the idempotency key, unhashed: the engine only needs equality, and hashing
      // every proposal of a long replay costs more than the patterns themselves.
      const key = firingKey(proposal);
      if (decided.has(key)) {
        stats.repeats++;
        continue;
      }
      const day = dayOf(now);
      const caseKey = `${c.record.id}|${day}`;
      let people = personNudges.get(day);
      if (people === undefined) {
        // Only today's counts matter: drop older days so a long replay does not grow without bound.
        personNudges.clear();
        people = new Map();
        personNudges.set(day, people);
      }
      const decision = applyCharter(proposal, charter, {
        now,
        caseNudgesToday: caseNudges.get(caseKey) ?? 0,
        personNudgesToday: people,
        lastHumanActivityAt: c.lastHumanActivityAt,
      });
      // A dropped nudge (capped, quiet hours) may fire again later; everything else is final. A drop
      // for the reason it was dropped last time is not news: recorded once, counted in `heldBack`.
      if (decision.disposition === 'drop') {
        c.dropped ??= new Map();
        if (c.dropped.get(key) === decision.dispositionRule) {
          stats.heldBack++;
          continue;
        }
        c.dropped.set(key, decision.dispositionRule);
      } else {
        decided.add(key);
        c.taken.add(proposal.threshold);
        c.dropped?.delete(key);
      }
      if (decision.disposition === 'act' || decision.disposition === 'suggest') {
        for (const action of decision.actions) {
          const t = traitsOf(action);
          if (!t.nudge) continue;
          caseNudges.set(caseKey, (caseNudges.get(caseKey) ?? 0) + 1);
          if (t.recipient !== null) people.set(t.recipient, (people.get(t.recipient) ?? 0) + 1);
        }
      }
      out.push(decision);
    }
  };

  return {
    stats,
    addCase(record) {
      if (cases.has(record.id)) return;
      const c: MutableCase = {
        record: { ...record, events: [] },
        snapshot: emptySnapshot(record, record.events[0]?.at ?? 0),
        lastHumanActivityAt: null,
        enteredStateAt: record.events[0]?.at ?? 0,
        clocks: charter.goals.map((g) =>
          matchesAttributes(g.goal.when, record.attributes) ? initialClock(g, attributesAtCreation(record)) : null,
        ),
        taken: new Set(),
        dropped: null,
        seen: new Set(),
        inScope: charter.inScope(record),
        total: record.events.length,
      };
      if (!c.inScope) stats.outOfScope++;
      cases.set(record.id, c);
    },
    event(event) {
      const c = cases.get(event.caseId);
      if (c === undefined) throw new Error(`replay: event of unregistered case '${event.caseId}' (call addCase first)`);
      const key = eventKey(event);
      if (c.seen.has(key)) {
        stats.duplicateEvents++;
        return [];
      }
      c.seen.add(key);
      stats.events++;
      c.record.events.push(event);
      if (event.at > latest) latest = event.at;
      const before = c.snapshot;
      c.snapshot = advanceSnapshot(before, event, charter.resolve);
      c.lastHumanActivityAt = event.at;
      if (c.record.events.length === c.total) c.snapshot = settleSnapshot(c.snapshot, c.record, charter.resolve);
      if (c.snapshot.state !== before.state) c.enteredStateAt = event.at;
      for (let i = 0; i < c.clocks.length; i++) {
        const clock = c.clocks[i];
        if (clock !== null && clock !== undefined)
          c.clocks[i] = advanceClock(charter.goals[i]!, charter.resolve, clock, event);
      }
      if (c.snapshot.phase === 'done') open.delete(c);
      else open.add(c);
      const out: Decision[] = [];
      if (!c.inScope) return out;
      const ctx = { now: event.at, charter, observe };
      for (const p of eventPatterns) gate(c, p.onEvent!(c, event, before, ctx), event.at, out);
      return out;
    },
    tick(now) {
      const out: Decision[] = [];
      if (now <= latest) {
        stats.staleTicks++;
        return out;
      }
      latest = now;
      stats.ticks++;
      if (tickPatterns.length === 0) return out;
      const ctx = { now, charter, observe };
      for (const c of open) {
        if (!c.inScope) continue;
        for (const p of tickPatterns) gate(c, p.onTick!(c, ctx), now, out);
      }
      return out;
    },
    openCases: () => open.values(),
    getCase: (id) => cases.get(id),
  };
}
