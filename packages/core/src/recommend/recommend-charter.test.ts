import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../model/event.ts';
import type { CaseRecord } from '../model/case.ts';
import { createWorkflowResolver } from '../model/workflow.ts';
import { defineCalendar, type Calendar } from '../time/calendar.ts';
import { parseCharter } from '../charter/parse-charter.ts';
import { parseDuration } from '../charter/duration.ts';
import { createHistoryObserver } from './observe-history.ts';
import { recommendCharter, roundUpDuration } from './recommend-charter.ts';

const H = 3_600_000;
// Every hour of every day: business time equals wall time, so the test can check figures by hand.
const allDay: [string, string][] = [['00:00', '24:00']];
const ALWAYS = (() => {
  const r = defineCalendar({
    timeZone: 'UTC',
    week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
  });
  if (!r.ok) throw new Error('calendar');
  return r.value;
})();

function ev(caseId: string, at: number, kind: CaseEvent['kind'], extra: Partial<CaseEvent> = {}): CaseEvent {
  return { caseId, at, offsetMinutes: 0, kind, ...extra };
}

/**
 * 40 cases: Triage → In Progress → Done. In Triage the team sets `customfield_po` (a PO number) in
 * 38 of them before moving on; idle gaps in Triage are 1..40 hours by case.
 */
function history(): CaseRecord[] {
  const t0 = Date.UTC(2026, 0, 5);
  return Array.from({ length: 40 }, (_, i) => {
    const id = `C-${i + 1}`;
    const start = t0 + i * 100 * H;
    const gap = (i + 1) * H;
    const events: CaseEvent[] = [
      ev(id, start, 'created', { state: 'Triage', owner: i % 2 ? 'ana' : 'bo' }),
      ...(i < 38
        ? [ev(id, start + gap, 'field', { field: 'customfield_po', from: null, to: `PO-${i}`, state: 'Triage' })]
        : []),
      ev(id, start + 2 * gap, 'status', { from: 'Triage', to: 'In Progress', state: 'In Progress', owner: 'ana' }),
      ev(id, start + 2 * gap + 3 * H, 'status', { from: 'In Progress', to: 'Done', state: 'Done', owner: 'ana' }),
    ];
    return { id, source: 't', attributes: { components: ['Billing'] }, events };
  });
}

function recommend(cases: CaseRecord[], calendar: Calendar = ALWAYS) {
  const resolve = createWorkflowResolver({
    states: { Triage: { phase: 'queue' }, 'In Progress': { phase: 'active' }, Done: { phase: 'done' } },
  });
  const observer = createHistoryObserver({ isCustomerWait: () => false, isDone: (s) => resolve(s).phase === 'done' });
  for (const c of cases) observer.add(c);
  return recommendCharter(observer.observations(), { name: 't', calendar, calendarNote: 'test', resolve });
}

describe('recommendCharter', () => {
  it('proposes as ready what is present when cases leave a state and often missing when they arrive', () => {
    const r = recommend(history());
    const triage = r.charter.workflow?.states?.['Triage'];
    expect(triage?.ready).toEqual([{ kind: 'field', field: 'customfield_po' }]);
    // components is there from the start: never something to ask for.
    expect(JSON.stringify(triage?.ready)).not.toContain('components');
    expect(r.notes.find((n) => n.path.join('.') === 'workflow.states.Triage.ready.0')?.note).toBe(
      'present at 95 % of 40 exits, missing at 100 % of 40 entries',
    );
  });

  it("sets a state's norm at the p90 of its idle gaps, rounded up, and says so", () => {
    const r = recommend(history());
    // Idle gaps in Triage: case i has two gaps of i hours (38 cases) or one of 2i hours (2 cases).
    const gaps: number[] = [];
    for (let i = 1; i <= 40; i++) {
      if (i <= 38) gaps.push(i, i);
      else gaps.push(2 * i);
    }
    gaps.sort((a, b) => a - b);
    const pos = (gaps.length - 1) * 0.9;
    const p90 = gaps[Math.floor(pos)]! + (gaps[Math.ceil(pos)]! - gaps[Math.floor(pos)]!) * (pos - Math.floor(pos));
    const norm = r.charter.workflow?.states?.['Triage']?.norm;
    expect(norm).toBe(roundUpDuration(p90 * H));
    expect(parseDuration(norm as string)).toBeGreaterThanOrEqual(p90 * H);
    expect(r.notes.find((n) => n.path.join('.') === 'workflow.states.Triage.norm')?.note).toContain(
      `${gaps.length} idle gaps`,
    );
  });

  it('writes a charter core accepts, every autonomy dial at assist, ownership from who finished the cases', () => {
    const r = recommend(history());
    const parsed = parseCharter(r.charter);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.autonomy.default).toBe('assist');
    expect(new Set(Object.values(parsed.value.autonomy.kinds))).toEqual(new Set(['assist']));
    expect(parsed.value.routing.ownership).toEqual([
      { id: 'by-components-1', when: { components: 'Billing' }, team: 'Billing' },
    ]);
    expect(parsed.value.routing.teams[0]).toMatchObject({ id: 'Billing', lead: 'ana' });
    expect(parsed.value.slaGoals.map((g) => g.id)).toEqual(['resolution', 'first-response']);
  });

  it('leaves out the steps for a lead when no team has one, and says so, so the charter can act as written', () => {
    // No component on any case (as in BPIC 2013): no team is formed, so nobody leads one.
    const cases = history().map((c) => ({ ...c, attributes: {} }));
    const r = recommend(cases);
    expect(r.charter.routing?.teams ?? []).toEqual([]);
    const steps = (r.charter.escalation?.ladders ?? []).flatMap((l) => l.steps.map((s) => s.do));
    // Before, each ladder ended in notify-lead, which finds no one (core) and which the Jira app refuses.
    expect(steps.length).toBeGreaterThan(0);
    expect(steps).not.toContain('notify-lead');
    expect(r.notes.map((n) => n.note).join('\n')).toContain('no team with a lead in this history');
    expect(parseCharter(r.charter).ok).toBe(true);
    // With a lead, the lead is told at the breach.
    expect(recommend(history()).charter.escalation?.ladders?.[0]?.steps.map((s) => s.do)).toEqual([
      'nudge-owner',
      'notify-lead',
    ]);
  });

  it('proposes no goal, norm or requirement from too few cases', () => {
    const r = recommend(history().slice(0, 5));
    expect(r.charter.slaGoals).toEqual([]);
    expect(r.charter.workflow?.states?.['Triage']?.norm).toBeUndefined();
    expect(r.charter.workflow?.states?.['Triage']?.ready).toBeUndefined();
    expect(parseCharter(r.charter).ok).toBe(true);
  });

  it('rounds durations up to what a person writes', () => {
    expect(roundUpDuration(10 * 60_000)).toBe('15m');
    expect(roundUpDuration(1.2 * H)).toBe('2h');
    expect(roundUpDuration(9 * H)).toBe('2d');
    expect(roundUpDuration(16 * H)).toBe('2d');
  });
});
