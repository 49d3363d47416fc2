import type { CaseEvent, CaseRecord } from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import type { ByteSink } from '../output/byte-sink.ts';

/** One row of events.csv. */
export interface EventRow {
  readonly case: string;
  readonly at: string;
  readonly kind: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
  readonly actor: string;
}

export const EVENT_COLUMNS = ['case', 'at', 'kind', 'field', 'from', 'to', 'actor'] as const;

type RowSink = (
  at: CaseEvent,
  kind: string,
  field: string,
  from: string | null | undefined,
  to: string | null | undefined,
  actor: string,
) => void;

/**
 * The normalised changes of a case, in time order: `created` for its first appearance, `status`
 * when its state changes, `owner` when its owner changes (an event-log event can change both: two
 * rows), `activity` for an event-log event that changes neither, and Jira's own kinds (`field`,
 * `comment`) as they are. `at` keeps the source's UTC offset. Comment text is not copied.
 */
function walkEventRows(
  record: CaseRecord,
  ownerFields: { readonly eventLog: string; readonly jira: string },
  row: RowSink,
): void {
  // Event-log cases are made of `activity` events; anything else came from Jira.
  const ownerField = record.events[0]?.kind === 'activity' ? ownerFields.eventLog : ownerFields.jira;
  let state: string | null = null;
  let owner: string | null = null;
  const events = inTimeOrder(record.events);
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const at = e;
    const actor = e.actor ?? '';
    const nextState: string | null | undefined =
      e.state ?? ((e.kind === 'status' || e.kind === 'activity') && e.to != null ? e.to : state);
    const nextOwner: string | null | undefined = e.owner ?? (e.kind === 'owner' ? (e.to ?? null) : owner);
    if (i === 0) {
      row(at, 'created', '', '', nextState, actor);
      if (nextOwner !== null && nextOwner !== '') row(at, 'owner', ownerField, '', nextOwner, actor);
    } else if (e.kind === 'activity') {
      const changedState = nextState !== state;
      const changedOwner = nextOwner !== owner && nextOwner !== null && nextOwner !== '';
      if (changedState) row(at, 'status', 'status', state, nextState, actor);
      if (changedOwner) row(at, 'owner', ownerField, owner, nextOwner, actor);
      if (!changedState && !changedOwner) row(at, 'activity', '', state, nextState, actor);
    } else if (e.kind === 'created') {
      row(at, 'created', '', '', nextState, actor);
    } else {
      row(
        at,
        e.kind,
        e.field ?? (e.kind === 'owner' ? ownerField : e.kind === 'status' ? 'status' : ''),
        e.from,
        e.kind === 'comment' ? '' : e.to,
        actor,
      );
    }
    state = nextState ?? null;
    owner = nextOwner ?? null;
  }
}

/** Events sorted by time (stable); the array itself when already in order, as readers give them. */
function inTimeOrder(events: CaseRecord['events']): CaseRecord['events'] {
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at < events[i - 1]!.at) return [...events].sort((a, b) => a.at - b.at);
  }
  return events;
}

/** The rows of events.csv for one case (see `walkEventRows` for what each row means). */
export function eventRows(
  record: CaseRecord,
  ownerFields: { readonly eventLog: string; readonly jira: string },
): EventRow[] {
  const rows: EventRow[] = [];
  walkEventRows(record, ownerFields, (at, kind, field, from, to, actor) =>
    rows.push({
      case: record.id,
      at: formatTimestamp(at.at, at.offsetMinutes),
      kind,
      field,
      from: from ?? '',
      to: to ?? '',
      actor,
    }),
  );
  return rows;
}

/**
 * The same rows as `eventRows`, written straight into `sink` as CSV (the bytes `csvRow` gives for
 * each row): names repeat on every row, so the sink caches their cells.
 */
export function writeEventRows(
  record: CaseRecord,
  ownerFields: { readonly eventLog: string; readonly jira: string },
  sink: ByteSink,
): void {
  const id = record.id;
  // One call a row: the sink remembers the case id, the kind and field pairs and the names of the rows before.
  walkEventRows(record, ownerFields, (at, kind, field, from, to, actor) =>
    sink.stampedRow(id, at.at, at.offsetMinutes, kind, field, from ?? '', to ?? '', actor),
  );
}
