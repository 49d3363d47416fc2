import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../model/event.ts';
import { countHandoffs, countPingPong, ownerSequence } from './owner-sequence.ts';

let t = 0;
const ev = (owner: string | null | undefined, extra: Partial<CaseEvent> = {}): CaseEvent => ({
  caseId: 'C-1',
  at: (t += 60_000),
  offsetMinutes: 0,
  kind: 'activity',
  owner,
  ...extra,
});

describe('ownerSequence', () => {
  it('drops empty owners and collapses consecutive repeats', () => {
    const seq = ownerSequence([ev('A'), ev('A'), ev(null), ev(''), ev('  '), ev('B'), ev(undefined), ev('B'), ev('A')]);
    expect(seq).toEqual(['A', 'B', 'A']);
  });

  it('reads an owner change without an explicit owner from its `to`', () => {
    expect(
      ownerSequence([ev(undefined, { kind: 'owner', to: 'ann' }), ev(undefined, { kind: 'owner', to: 'bob' })]),
    ).toEqual(['ann', 'bob']);
  });

  it('is empty for a case nobody owned', () => {
    expect(ownerSequence([ev(null), ev(undefined)])).toEqual([]);
  });
});

describe('handoffs and ping-pong', () => {
  // Hand-checked: sequence → [handoffs, bounces].
  const cases: [string[], number, number][] = [
    [[], 0, 0],
    [['A'], 0, 0],
    [['A', 'B'], 1, 0],
    [['A', 'B', 'A'], 2, 1],
    [['A', 'B', 'C'], 2, 0],
    [['A', 'B', 'A', 'B'], 3, 2], // ABA and BAB
    [['A', 'B', 'C', 'B', 'A'], 4, 1], // B, C, B only
    [['A', 'B', 'A', 'C', 'A'], 4, 2], // ABA, ACA
  ];
  it.each(cases)('%j → %i handoffs, %i bounces', (seq, handoffs, bounces) => {
    expect(countHandoffs(seq)).toBe(handoffs);
    expect(countPingPong(seq)).toBe(bounces);
  });
});
