import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../model/case.ts';
import { finalActionsOf } from './final-action.ts';

const T = Date.UTC(2026, 10, 23, 12, 0);
const ev = (at: number, kind: 'owner' | 'field' | 'comment', actor: string, to: string | null, field?: string) => ({
  caseId: 'SUP-1',
  at,
  offsetMinutes: 0,
  kind,
  actor,
  to,
  ...(field === undefined ? {} : { field }),
});
const record = (events: ReturnType<typeof ev>[]): Pick<CaseRecord, 'events'> => ({ events });
const span = { after: T, until: T + 7 * 86_400_000, isAgent: (a: string | null) => a === 'baton' };

describe('finalActionsOf', () => {
  it('reads the first change a person made to the field after the decision', () => {
    const r = record([
      ev(T - 1000, 'owner', 'u-grace', 'u-old'),
      ev(T + 10, 'owner', 'baton', 'u-ada'),
      ev(T + 20, 'owner', 'u-grace', 'u-linus'),
      ev(T + 30, 'owner', 'u-linus', 'u-ada'),
    ]);
    expect(finalActionsOf(r, [{ kind: 'assign', to: 'u-ada' }], span)).toEqual({
      actions: [{ kind: 'assign', to: 'u-linus' }],
      by: 'u-grace',
      at: T + 20,
    });
  });

  it('reads an unassignment and a field set by hand; keeps the actions nobody touched', () => {
    const r = record([ev(T + 5, 'owner', 'u-grace', null), ev(T + 6, 'field', 'u-grace', 'Low', 'priority')]);
    const out = finalActionsOf(
      r,
      [
        { kind: 'assign', to: 'u-ada' },
        { kind: 'setField', field: 'priority', value: 'High' },
        { kind: 'setField', field: 'duedate', value: '2026-12-01' },
      ],
      span,
    );
    expect(out?.actions).toEqual([
      { kind: 'setField', field: 'assignee', value: null },
      { kind: 'setField', field: 'priority', value: 'Low' },
      { kind: 'setField', field: 'duedate', value: '2026-12-01' },
    ]);
  });

  it('is null while nobody changed the fields, for the agent’s own changes, outside the window, and for comments', () => {
    const assign = [{ kind: 'assign', to: 'u-ada' }] as const;
    expect(finalActionsOf(record([]), assign, span)).toBeNull();
    expect(finalActionsOf(record([ev(T + 1, 'owner', 'baton', 'u-x')]), assign, span)).toBeNull();
    expect(finalActionsOf(record([ev(T - 1, 'owner', 'u-grace', 'u-x')]), assign, span)).toBeNull();
    expect(finalActionsOf(record([ev(T + 8 * 86_400_000, 'owner', 'u-grace', 'u-x')]), assign, span)).toBeNull();
    const comment = [{ kind: 'comment', body: 'hi', audience: 'internal' }] as const;
    expect(finalActionsOf(record([ev(T + 1, 'comment', 'u-grace', null)]), comment, span)).toBeNull();
  });
});
