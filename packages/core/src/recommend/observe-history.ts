import { checkReadiness } from '../agent/clerk/clerk-readiness.ts';
import type { ReadinessRequirement } from '../model/readiness.ts';
import { Sample } from '../analysis/stats.ts';
import type { CaseRecord, StateCategoryHints } from '../model/case.ts';
import type { CaseEvent } from '../model/event.ts';

/**
 * Wall-clock intervals (start, end pairs), kept raw so that business time is counted once the
 * calendar is known (the calendar itself is inferred from the same history).
 */
export class Intervals {
  readonly starts = new Sample();
  readonly ends = new Sample();
  get length(): number {
    return this.starts.length;
  }
  push(from: number, to: number): void {
    this.starts.push(from);
    this.ends.push(to);
  }
}

/** What was present when cases left one state, per candidate (field name or `link`). */
export interface PresenceCounts {
  exits: number;
  /** Candidate → exits at which it was present. */
  readonly atExit: Map<string, number>;
  entries: number;
  /** Candidate → entries at which it was present. */
  readonly atEntry: Map<string, number>;
}

export interface StateObservation {
  visits: number;
  cases: number;
  /** Idle gaps: from an event in the state to the next event of the case. */
  readonly idle: Intervals;
  /** Whole visits: from entering the state to the next state change (or the case's last event). */
  readonly stays: Intervals;
  /** Next state → exits into it. */
  readonly next: Map<string, number>;
  readonly presence: PresenceCounts;
}

/** Everything `recommendCharter` needs, gathered one case at a time. */
export interface HistoryObservations {
  cases: number;
  events: number;
  readonly sources: Set<string>;
  readonly hints: StateCategoryHints;
  readonly states: Map<string, StateObservation>;
  /** Per case: first event → first entry into a state that is not the first (first response). */
  readonly firstMove: Intervals;
  /** Per resolved case: first event → first entry into a done state, and the customer waits in between. */
  readonly resolution: Intervals;
  readonly resolutionPauses: { readonly caseIndex: Sample; readonly from: Sample; readonly to: Sample };
  /** Key attribute value → final owner → cases. */
  readonly ownership: Map<string, Map<string, number>>;
  /** Cases each owner had an event on, per (owner, UTC day). */
  readonly ownerDays: Map<string, number>;
  /** Minutes east of UTC → events. */
  readonly offsets: Map<number, number>;
  /** Local hour (0–23) and weekday (0 = Sunday) of each event, in its own offset. */
  readonly hours: number[];
  readonly weekdays: number[];
  readonly projects: Map<string, number>;
}

export interface ObserveOptions {
  /** The case attribute that names a component or queue for ownership rules (default `components`). */
  readonly keyAttribute?: string;
  /** States whose waits pause the resolution clock (the customer's), decided by the caller's resolver. */
  readonly isCustomerWait: (state: string) => boolean;
  readonly isDone: (state: string) => boolean;
}

// Outcomes and identity: present at every exit by construction, never something to ask for.
const NOT_READINESS = new Set([
  'project',
  'issuetype',
  'reporter',
  'creator',
  'statusCategory',
  'resolution',
  'resolutiondate',
  'status',
  'assignee',
]);

function stateAfter(event: CaseEvent): string | undefined {
  if (event.state !== undefined && event.state !== null && event.state !== '') return event.state;
  if (
    (event.kind === 'status' || event.kind === 'activity') &&
    event.to !== undefined &&
    event.to !== null &&
    event.to !== ''
  )
    return event.to;
  return undefined;
}

function stateObservation(): StateObservation {
  return {
    visits: 0,
    cases: 0,
    idle: new Intervals(),
    stays: new Intervals(),
    next: new Map(),
    presence: { exits: 0, atExit: new Map(), entries: 0, atEntry: new Map() },
  };
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The fields a case could be asked for: every field its history sets and every attribute it has. */
function candidatesOf(record: CaseRecord): ReadinessRequirement[] {
  const names = new Set<string>();
  for (const e of record.events) if (e.kind === 'field' && e.field !== undefined) names.add(e.field);
  for (const k of Object.keys(record.attributes)) names.add(k);
  const out: ReadinessRequirement[] = [...names]
    .filter((n) => !NOT_READINESS.has(n) && n !== 'issuelinks')
    .map((field) => ({ kind: 'field', field }));
  out.push({ kind: 'link' });
  return out;
}

const candidateName = (r: ReadinessRequirement): string => (r.kind === 'field' ? r.field : r.kind);

function recordPresence(
  record: CaseRecord,
  state: string,
  candidates: readonly ReadinessRequirement[],
  at: number,
  side: 'entry' | 'exit',
  presence: PresenceCounts,
): void {
  // The clerk's own check, at that moment: what the charter proposes is what it will enforce.
  const r = checkReadiness(record, state, candidates, at);
  if (side === 'exit') presence.exits++;
  else presence.entries++;
  const counts = side === 'exit' ? presence.atExit : presence.atEntry;
  r.items.forEach((item, i) => {
    if (item.status === 'present') bump(counts, candidateName(candidates[i] as ReadinessRequirement));
  });
}

/**
 * A streaming observer of histories for `recommendCharter`: memory grows with events (two numbers
 * per idle gap), not with their text.
 */
export function createHistoryObserver(options: ObserveOptions) {
  const keyAttribute = options.keyAttribute ?? 'components';
  const obs: HistoryObservations = {
    cases: 0,
    events: 0,
    sources: new Set(),
    hints: new Map(),
    states: new Map(),
    firstMove: new Intervals(),
    resolution: new Intervals(),
    resolutionPauses: { caseIndex: new Sample(), from: new Sample(), to: new Sample() },
    ownership: new Map(),
    ownerDays: new Map(),
    offsets: new Map(),
    hours: Array.from({ length: 24 }, () => 0),
    weekdays: Array.from({ length: 7 }, () => 0),
    projects: new Map(),
  };
  const state = (name: string): StateObservation => {
    let s = obs.states.get(name);
    if (s === undefined) {
      s = stateObservation();
      obs.states.set(name, s);
    }
    return s;
  };

  function add(record: CaseRecord): void {
    const events = [...record.events].sort((a, b) => a.at - b.at);
    const first = events[0];
    if (first === undefined) return;
    obs.cases++;
    obs.events += events.length;
    obs.sources.add(record.source);
    const project = record.attributes['project'];
    if (typeof project === 'string') bump(obs.projects, project);
    const candidates = candidatesOf(record);
    const seenStates = new Set<string>();
    const ownerDays = new Set<string>();

    let current: string | undefined;
    let enteredAt = first.at;
    let moved = false;
    let resolved = false;
    let waitFrom: number | undefined;
    const caseIndex = obs.resolution.length;
    events.forEach((e, i) => {
      const local = new Date(e.at + e.offsetMinutes * 60_000);
      obs.hours[local.getUTCHours()]!++;
      obs.weekdays[local.getUTCDay()]!++;
      bump(obs.offsets, e.offsetMinutes);
      if (e.owner) ownerDays.add(`${e.owner}\u0000${Math.floor(e.at / 86_400_000)}`);
      const entered = stateAfter(e);
      if (entered !== undefined && entered !== current) {
        if (current !== undefined) {
          const s = state(current);
          s.stays.push(enteredAt, e.at);
          bump(s.next, entered);
          recordPresence(record, current, candidates, e.at, 'exit', s.presence);
          if (!moved) {
            obs.firstMove.push(first.at, e.at);
            moved = true;
          }
        }
        const s = state(entered);
        s.visits++;
        if (!seenStates.has(entered)) {
          seenStates.add(entered);
          s.cases++;
        }
        recordPresence(record, entered, candidates, e.at, 'entry', s.presence);
        if (!resolved) {
          if (waitFrom !== undefined) {
            obs.resolutionPauses.caseIndex.push(caseIndex);
            obs.resolutionPauses.from.push(waitFrom);
            obs.resolutionPauses.to.push(e.at);
            waitFrom = undefined;
          }
          if (options.isCustomerWait(entered)) waitFrom = e.at;
          if (options.isDone(entered) && current !== undefined) {
            obs.resolution.push(first.at, e.at);
            resolved = true;
          }
        }
        current = entered;
        enteredAt = e.at;
      }
      const next = events[i + 1];
      if (current !== undefined && next !== undefined && next.at > e.at) state(current).idle.push(e.at, next.at);
    });
    const last = events[events.length - 1] as CaseEvent;
    if (current !== undefined) state(current).stays.push(enteredAt, last.at);
    // An export without history (the state never changed) still says when the case was resolved.
    const resolvedAt = record.attributes['resolutiondate'];
    if (!resolved && !moved && current !== undefined && options.isDone(current) && typeof resolvedAt === 'string') {
      const at = Date.parse(resolvedAt.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
      if (Number.isFinite(at) && at >= first.at) {
        obs.resolution.push(first.at, at);
        resolved = true;
      }
    }
    // Pauses of a case that never resolved count for nothing.
    if (!resolved) {
      const p = obs.resolutionPauses;
      while (p.caseIndex.length > 0 && p.caseIndex.values()[p.caseIndex.length - 1] === caseIndex) {
        p.caseIndex.length--;
        p.from.length--;
        p.to.length--;
      }
    }
    for (const k of ownerDays) bump(obs.ownerDays, k);
    const owner = record.owner ?? [...events].reverse().find((e) => e.owner)?.owner ?? null;
    const keys = record.attributes[keyAttribute];
    if (owner !== null && owner !== undefined) {
      for (const key of Array.isArray(keys) ? keys : typeof keys === 'string' ? [keys] : []) {
        let byOwner = obs.ownership.get(key);
        if (byOwner === undefined) {
          byOwner = new Map();
          obs.ownership.set(key, byOwner);
        }
        bump(byOwner, owner);
      }
    }
  }

  return {
    add,
    addHints(hints: StateCategoryHints): void {
      for (const [k, v] of hints) if (!obs.hints.has(k)) obs.hints.set(k, v);
    },
    observations: (): HistoryObservations => obs,
  };
}
export type HistoryObserver = ReturnType<typeof createHistoryObserver>;
