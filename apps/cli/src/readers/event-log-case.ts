import type { AttributeValue, CaseEvent, CaseRecord } from '@baton/core';

/** One event of an event log (XES or CSV) as read, before it becomes a core event. */
export interface LogEvent {
  readonly at: number;
  readonly offsetMinutes: number;
  readonly activity: string;
  readonly lifecycle?: string | undefined;
  /** The `--owner` attribute; `undefined` when the event does not say (the owner carries over). */
  readonly owner?: string | undefined;
  readonly actor?: string | undefined;
}

// XES lifecycle values that only mark the start or the end of an activity: the activity alone is
// the state. Anything else (BPIC 2013: "Wait - User", "Awaiting Assignment") is a sub-status that
// matters for time in state, so it is kept as "Activity/Sub-status".
const PLAIN_LIFECYCLE = new Set(['complete', 'start']);

/** `Accepted` + `Wait - User` → `Accepted/Wait - User`; `Queued` + `complete` → `Queued`. */
export function stateLabel(activity: string, lifecycle: string | undefined): string {
  if (lifecycle === undefined || lifecycle === '' || PLAIN_LIFECYCLE.has(lifecycle.toLowerCase())) return activity;
  return `${activity}/${lifecycle}`;
}

/** `case:deadline` → `deadline`: the XES trace attribute behind a pm4py `case:` column. */
export function caseAttributeName(key: string): string {
  return key.startsWith('case:') ? key.slice(5) : key;
}

/**
 * Turns one case's events into a core `CaseRecord`: events in time order (stable for ties, so the
 * log's own order breaks them), each carrying the state and owner after it.
 */
export function buildLogCase(input: {
  id: string;
  source: string;
  attributes: Record<string, AttributeValue | string[]>;
  due?: number | undefined;
  events: LogEvent[];
}): CaseRecord {
  const log = input.events;
  let inOrder = true;
  for (let i = 1; i < log.length && inOrder; i++) inOrder = log[i - 1]!.at <= log[i]!.at;
  const sorted = inOrder ? log : log.slice().sort((a, b) => a.at - b.at);
  const events: CaseEvent[] = [];
  let state: string | null = null;
  let owner: string | null = null;
  for (const e of sorted) {
    const to = stateLabel(e.activity, e.lifecycle);
    if (e.owner !== undefined && e.owner !== '') owner = e.owner;
    const event: CaseEvent = {
      caseId: input.id,
      at: e.at,
      offsetMinutes: e.offsetMinutes,
      kind: 'activity',
      from: state,
      to,
      actor: e.actor === undefined || e.actor === '' ? null : e.actor,
      state: to,
      owner,
    };
    events.push(event);
    state = to;
  }
  const record: CaseRecord = {
    id: input.id,
    source: input.source,
    attributes: input.attributes,
    state,
    owner,
    events,
  };
  if (input.due !== undefined) record.due = input.due;
  return record;
}
