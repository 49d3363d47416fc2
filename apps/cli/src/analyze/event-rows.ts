import { type CaseRecord, formatTimestamp } from '@baton/core';

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

/**
 * The normalised changes of a case, in time order: `created` for its first appearance, `status`
 * when its state changes, `owner` when its owner changes (an event-log event can change both: two
 * rows), `activity` for an event-log event that changes neither, and Jira's own kinds (`field`,
 * `comment`) as they are. `at` keeps the source's UTC offset. Comment text is not copied.
 */
export function eventRows(
  record: CaseRecord,
  ownerFields: { readonly eventLog: string; readonly jira: string },
): EventRow[] {
  const rows: EventRow[] = [];
  // Event-log cases are made of `activity` events; anything else came from Jira.
  const ownerField = record.events[0]?.kind === 'activity' ? ownerFields.eventLog : ownerFields.jira;
  let state: string | null = null;
  let owner: string | null = null;
  const events = [...record.events].sort((a, b) => a.at - b.at);
  events.forEach((e, i) => {
    const at = formatTimestamp(e.at, e.offsetMinutes);
    const actor = e.actor ?? '';
    const nextState = e.state ?? ((e.kind === 'status' || e.kind === 'activity') && e.to != null ? e.to : state);
    const nextOwner = e.owner ?? (e.kind === 'owner' ? (e.to ?? null) : owner);
    const row = (kind: string, field: string, from: string | null | undefined, to: string | null | undefined) =>
      rows.push({ case: record.id, at, kind, field, from: from ?? '', to: to ?? '', actor });
    if (i === 0) {
      row('created', '', '', nextState);
      if (nextOwner !== null && nextOwner !== '') row('owner', ownerField, '', nextOwner);
    } else if (e.kind === 'activity') {
      const changedState = nextState !== state;
      const changedOwner = nextOwner !== owner && nextOwner !== null && nextOwner !== '';
      if (changedState) row('status', 'status', state, nextState);
      if (changedOwner) row('owner', ownerField, owner, nextOwner);
      if (!changedState && !changedOwner) row('activity', '', state, nextState);
    } else if (e.kind === 'created') {
      row('created', '', '', nextState);
    } else {
      row(
        e.kind,
        e.field ?? (e.kind === 'owner' ? ownerField : e.kind === 'status' ? 'status' : ''),
        e.from,
        e.kind === 'comment' ? '' : e.to,
      );
    }
    state = nextState ?? null;
    owner = nextOwner ?? null;
  });
  return rows;
}
