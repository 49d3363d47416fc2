import type { CaseEvent, CaseRecord } from '@baton/core';

/**
 * The state a case is in after an event, by the same rule as core's `summarizeCase`: what the
 * source says, else the target of a status change or activity. The benchmark hands exactly these
 * states to DuckDB so that both sides compute from the same normalised events.
 */
export function stateAfter(event: CaseEvent): string | undefined {
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

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

export const NORMALISED_HEADER = 'case,seq,ts,state\n';

/** CSV rows `case,seq,ts,state` of one case: `seq` keeps the order of events that share a time. */
export function normalisedRows(record: CaseRecord): string {
  const order = record.events.map((e, i) => [e, i] as const).sort((a, b) => a[0].at - b[0].at || a[1] - b[1]);
  let out = '';
  const id = quote(record.id);
  order.forEach(([e], seq) => {
    const state = stateAfter(e);
    out += `${id},${seq},${e.at},${state === undefined ? '' : quote(state)}\n`;
  });
  return out;
}
