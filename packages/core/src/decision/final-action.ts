import type { CaseRecord } from '../model/case.ts';
import type { Action } from './action.ts';

/**
 * What a person finally did about a decision's field-setting actions, read from the case's history: the
 * first change a person (not the agent) made to each field a decision's action sets, after `after` and
 * up to `until`. An assignment is the `owner` field; any other `setField` its field. Actions that set no
 * field (comments, nudges) have no final action to observe. Returns null while nobody has touched any
 * of those fields, so "no change yet" is never read as agreement.
 * @example finalActionsOf(record, [{ kind: 'assign', to: 'u-ada' }], { after, until, isAgent }) // [{ kind: 'assign', to: 'u-linus' }]
 */
export function finalActionsOf(
  record: Pick<CaseRecord, 'events'>,
  actions: readonly Action[],
  span: { readonly after: number; readonly until: number; readonly isAgent: (actor: string | null) => boolean },
): { actions: Action[]; by: string | null; at: number } | null {
  const out: Action[] = [];
  let by: string | null = null;
  let at = -Infinity;
  let seen = false;
  for (const action of actions) {
    const field = action.kind === 'assign' ? 'owner' : action.kind === 'setField' ? action.field : undefined;
    if (field === undefined) continue;
    const change = record.events.find(
      (e) =>
        e.at > span.after &&
        e.at <= span.until &&
        !span.isAgent(e.actor ?? null) &&
        (field === 'owner' ? e.kind === 'owner' : e.kind === 'field' && e.field === field),
    );
    if (change === undefined) {
      out.push(action);
      continue;
    }
    seen = true;
    by ??= change.actor ?? null;
    at = Math.max(at, change.at);
    const to = change.to ?? null;
    out.push(
      field === 'owner'
        ? to === null
          ? { kind: 'setField', field: 'assignee', value: null }
          : { kind: 'assign', to }
        : { kind: 'setField', field, value: to },
    );
  }
  return seen ? { actions: out, by, at } : null;
}
