import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureCase } from '../../../test/appcelerator-cases.ts';
import type { CaseRecord } from '../../model/case.ts';
import { buildHandoffPacket } from './clerk.ts';
import { fitPacket } from './clerk-fit.ts';
import { HandoffPacketSchema, ISSUE_PROPERTY_LIMIT } from './clerk-packet.ts';

// A long real history: the four fixture issues' comments repeated onto one case, 60 times over,
// each copy a day later, so that the packet is several times larger than an issue property.
function bigCase(): CaseRecord {
  const parts = ['TIMOB-18064', 'TIMOB-20494', 'AC-4682', 'TIMOB-25040'].map(fixtureCase);
  const base = parts[0]!;
  const events = [];
  for (let round = 0; round < 60; round++) {
    for (const p of parts) {
      for (const e of p.events.filter((x) => x.kind === 'comment')) {
        events.push({
          ...e,
          caseId: base.id,
          at: 1_400_000_000_000 + round * 86_400_000 + events.length * 1000,
          actor: `${e.actor}-${round}`,
        });
      }
    }
  }
  return { ...base, events };
}

describe('fitPacket', () => {
  const big = bigCase();
  const packet = buildHandoffPacket(big, { at: big.events.at(-1)!.at });

  it('leaves a packet that fits untouched', () => {
    const small = buildHandoffPacket(fixtureCase('AC-4682'), { at: 2e12 });
    const r = fitPacket(small);
    expect(r.ok && r.value.trimmed).toEqual([]);
    expect(r.ok && r.value.packet).toEqual(small);
  });

  it('trims a large real history under the issue property limit and says what it dropped', () => {
    expect(JSON.stringify(packet).length).toBeGreaterThan(ISSUE_PROPERTY_LIMIT);
    const r = fitPacket(packet);
    if (!r.ok) throw new Error('expected a fit');
    expect(r.value.chars).toBe(JSON.stringify(r.value.packet).length);
    expect(r.value.chars).toBeLessThanOrEqual(ISSUE_PROPERTY_LIMIT);
    expect(r.value.packet.trimmed).toEqual(r.value.trimmed);
    expect(r.value.trimmed.map((t) => t.section)).toContain('stakeholders');
    expect(HandoffPacketSchema.safeParse(r.value.packet).success).toBe(true);
    // The newest decision survives: trimming drops the oldest first.
    expect(r.value.packet.decisions.at(-1)).toEqual(packet.decisions.at(-1));
  });

  it('fits any budget from the skeleton up, deterministically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2_000, max: 60_000 }), (budget) => {
        const a = fitPacket(packet, budget);
        const b = fitPacket(packet, budget);
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        if (a.ok) {
          expect(JSON.stringify(a.value.packet).length).toBeLessThanOrEqual(budget);
        } else {
          expect(a.issues[0]!.code).toBe('packet.budget_too_small');
        }
      }),
      { numRuns: 25 },
    );
  });

  it('failure path: a budget below the skeleton is refused with the size it needs', () => {
    const r = fitPacket(packet, 200);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.code).toBe('packet.budget_too_small');
      expect(r.issues[0]!.message).toMatch(/needs at least \d+ characters/);
    }
  });
});
