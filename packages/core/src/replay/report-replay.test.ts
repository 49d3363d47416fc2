import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import { DEFAULT_COSTS } from '../analysis/costs.ts';
import { compileCharter } from '../charter/compile-charter.ts';
import { DEFAULT_CHARTER } from '../charter/default-charter.ts';
import { clerkPattern } from './patterns/clerk-pattern.ts';
import { conciergePattern } from './patterns/concierge-pattern.ts';
import type { Decision } from '../decision/decision.ts';
import { createReplayEngine } from './replay.ts';
import { createReplaySummary, ReplaySummarySchema } from './report-replay.ts';

function decisionsOf(): Decision[] {
  const cases = bpicTraces();
  const engine = createReplayEngine({
    charter: compileCharter(DEFAULT_CHARTER),
    patterns: [clerkPattern, conciergePattern],
  });
  for (const c of cases) engine.addCase(c);
  return cases
    .flatMap((c) => c.events)
    .sort((a, b) => a.at - b.at)
    .flatMap((e) => engine.event(e));
}

describe('createReplaySummary', () => {
  const decisions = decisionsOf();

  it('counts per day, pattern, rule and disposition, and values the time saved under the costs', () => {
    const s = createReplaySummary(DEFAULT_COSTS);
    for (const d of decisions) s.add(d);
    const out = ReplaySummarySchema.parse(s.build());
    expect(out.decisions).toBe(decisions.length);
    expect(Object.values(out.byDay).reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0)).toBe(
      decisions.length,
    );
    expect(out.byPattern['clerk']).toEqual({ suggest: 14 });
    // Every decision is a comment under the default charter: one status check (5 min) each.
    expect(out.savings!.minutes).toBe(decisions.length * 5);
    expect(out.savings!.money).toBe(Math.round(((decisions.length * 5) / 60) * 60));
  });

  it('tells breaches a nudge preceded from those it did not', () => {
    const s = createReplaySummary(null);
    const nudge = {
      ...decisions[0]!,
      actions: [{ kind: 'notify' as const, to: 'V30', message: 'stalled' }],
      disposition: 'suggest' as const,
    };
    s.add(nudge);
    s.addBreach({ caseId: nudge.caseId, goal: 'resolution', at: nudge.at + 1 });
    s.addBreach({ caseId: nudge.caseId, goal: 'response', at: nudge.at - 1 });
    s.addBreach({ caseId: 'other', goal: 'resolution', at: nudge.at + 1 });
    s.add({ ...nudge, disposition: 'drop', dispositionRule: 'caps.perCaseDay' });
    expect(s.build().breaches).toEqual({ total: 3, precededByNudge: 1, notPreceded: 2 });
    // Only nudges acted or suggested count: the dropped one was held back.
    expect(s.build().nudges).toEqual({ total: 1, casesNudged: 1, maxPerCase: 1, maxPerCaseDay: 1 });
    expect(s.build().savings).toBeNull();
  });

  it('failure path: no decisions make an empty, valid summary', () => {
    const out = createReplaySummary(DEFAULT_COSTS).build();
    expect(ReplaySummarySchema.safeParse(out).success).toBe(true);
    expect(out.decisions).toBe(0);
    expect(out.savings!.minutes).toBe(0);
  });
});
