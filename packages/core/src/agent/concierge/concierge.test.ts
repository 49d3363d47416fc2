import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { fixtureCase } from '../../../test/appcelerator-cases.ts';
import { createWorkflowResolver } from '../../model/workflow.ts';
import { parseTimestamp } from '../../time/timestamp.ts';
import { buildHandoffPacket } from '../clerk/clerk.ts';
import { changesBetween, meaningfulChanges } from './concierge-changes.ts';
import { snapshotCase, type CaseSnapshot } from '../../model/case-snapshot.ts';
import { AUDIENCES, AudienceDraftSchema, draftForAudience, draftUpdates } from './concierge.ts';

const resolve = createWorkflowResolver();
const t = (s: string) => parseTimestamp(s)!.at;
const trace = bpicTraces().find((c) => c.id === '1-467153946')!;

describe('meaningfulChanges on a real BPIC 2013 incident', () => {
  it('In Progress → Wait - User: phase, state and a customer blocker', () => {
    const { changes } = changesBetween(trace, t('2011-01-31T12:59:46+01:00'), t('2011-01-31T14:37:55+01:00'), resolve);
    expect(changes).toEqual([
      { kind: 'phase', from: 'active', to: 'waiting' },
      { kind: 'state', from: 'Accepted/In Progress', to: 'Accepted/Wait - User' },
      { kind: 'blocked', from: null, to: 'waiting:customer' },
    ]);
  });

  it('handed to another group and queued: owner change and unblocked', () => {
    const { changes } = changesBetween(trace, t('2011-01-31T14:37:55+01:00'), t('2011-02-03T08:28:58+01:00'), resolve);
    expect(changes.map((c) => c.kind)).toEqual(['phase', 'state', 'owner', 'unblocked']);
    expect(changes.find((c) => c.kind === 'owner')).toEqual({ kind: 'owner', from: 'N52 2nd', to: 'O3 3rd' });
  });

  it('edits of labels and rank are not news', () => {
    const at = t('2011-01-31T13:30:00+01:00');
    const edited = {
      ...trace,
      events: [
        ...trace.events.filter((e) => e.at < at),
        { caseId: trace.id, at, offsetMinutes: 60, kind: 'field' as const, field: 'labels', from: null, to: 'vip' },
        {
          caseId: trace.id,
          at: at + 1,
          offsetMinutes: 60,
          kind: 'field' as const,
          field: 'Rank',
          from: '0|i0001',
          to: '0|hzzzz',
        },
        ...trace.events.filter((e) => e.at >= at),
      ],
    };
    expect(changesBetween(edited, at - 1, at + 2, resolve).changes).toEqual([]);
  });

  it('a due date change is news; the same day in another form is not', () => {
    const at = t('2011-01-31T13:30:00+01:00');
    const withDue = (to: string) => ({
      ...trace,
      events: [
        ...trace.events.filter((e) => e.at < at),
        { caseId: trace.id, at, offsetMinutes: 0, kind: 'field' as const, field: 'duedate', to },
      ],
    });
    expect(changesBetween(withDue('2011-02-04'), at - 1, at, resolve).changes).toEqual([
      { kind: 'due', from: null, to: '2011-02-04' },
    ]);
    const a = snapshotCase(withDue('2011-02-04'), at, resolve);
    const b = snapshotCase(withDue('2011-02-04T10:00:00Z'), at, resolve);
    expect(meaningfulChanges(a, b)).toEqual([]);
    // A tracker's record carries today's due date: before the change that set it, there was none.
    const tracked = { ...withDue('2011-02-04'), due: t('2011-02-04T00:00:00Z') };
    expect(changesBetween(tracked, at - 1, at, resolve).changes).toEqual([
      { kind: 'due', from: null, to: '2011-02-04' },
    ]);
  });

  it('failure path: an unparseable due date reads as none; a state nobody mapped falls back to defaults', () => {
    const at = t('2011-01-31T13:30:00+01:00');
    const odd = {
      ...trace,
      events: [
        { caseId: trace.id, at, offsetMinutes: 0, kind: 'status' as const, to: 'Qxz Limbo' },
        { caseId: trace.id, at, offsetMinutes: 0, kind: 'field' as const, field: 'duedate', to: 'next Tuesday' },
      ],
    };
    const s = snapshotCase(odd, at, resolve);
    expect(s).toMatchObject({ state: 'Qxz Limbo', phase: 'active', due: null });
  });
});

describe('draftUpdates', () => {
  const before = snapshotCase(trace, t('2011-01-31T12:59:46+01:00'), resolve);
  const after = snapshotCase(trace, t('2011-01-31T14:37:55+01:00'), resolve);
  const drafts = draftUpdates({ before, after, changes: meaningfulChanges(before, after) });

  it('drafts for the customer and the team from one context, each valid', () => {
    expect(drafts.map((d) => d.audience)).toEqual(['customer', 'internal']);
    for (const d of drafts) expect(AudienceDraftSchema.parse(d)).toEqual(d);
    const [customer, internal] = drafts;
    expect(customer!.customerFacing).toBe(true);
    expect(customer!.body).toContain('We are waiting for information from you');
    expect(customer!.body).toContain('What we need from you:');
    expect(customer!.body).not.toContain('N52');
    expect(customer!.body).not.toContain('Accepted/');
    expect(internal!.body).toContain('owner N52 2nd');
    expect(internal!.body).toContain('Blocked: waiting:customer.');
  });

  it('tells the executive about SLA risk with the impact, in one paragraph', () => {
    const risky: CaseSnapshot = { ...after, sla: 'at-risk' };
    const [exec] = draftUpdates({
      before,
      after: risky,
      changes: meaningfulChanges(before, risky),
      priority: 'High',
      impact: 'a plant order line is down',
    }).filter((d) => d.audience === 'executive');
    expect(exec!.body).toContain('is at risk of breaching its SLA');
    expect(exec!.body).toContain('Impact: a plant order line is down.');
    expect(exec!.body).not.toContain('\n');
  });

  it('uses the packet for open questions and inputs required; the customer sees only the requirement labels', () => {
    const issue = fixtureCase('TIMOB-18064');
    const at = issue.events.at(-1)!.at;
    const packet = buildHandoffPacket(issue, {
      at,
      requirements: [{ kind: 'field', field: 'customfield_1', label: 'a test case that reproduces the problem' }],
    });
    const b = { ...snapshotCase(issue, at, resolve), phase: 'active' as const, blocker: null, waitingReason: null };
    const a: CaseSnapshot = {
      ...b,
      phase: 'waiting',
      waitingReason: 'customer',
      blocker: 'waiting:customer',
      state: 'Waiting for customer',
    };
    const out = draftUpdates({ before: b, after: a, changes: meaningfulChanges(b, a), packet });
    const customer = out.find((d) => d.audience === 'customer')!;
    const internal = out.find((d) => d.audience === 'internal')!;
    expect(customer.body).toContain('- a test case that reproduces the problem');
    expect(customer.body).not.toMatch(/vduggal|mlangston|ingo|buildTiCore/);
    expect(internal.body).toContain('Inputs required: a test case that reproduces the problem.');
    expect(internal.body).toContain('(for vduggal)');
  });

  it('no change, no draft', () => {
    expect(draftUpdates({ before: after, after, changes: [] })).toEqual([]);
  });

  it('never puts owner or state names in the customer draft (property)', () => {
    const name = fc.stringMatching(/^[A-Z][a-z]{3,8} [A-Z][a-z]{3,8}$/);
    fc.assert(
      fc.property(
        name,
        name,
        fc.constantFrom('queue', 'active', 'waiting', 'done'),
        fc.constantFrom('queue', 'active', 'waiting', 'done'),
        (o1, o2, p1, p2) => {
          const b: CaseSnapshot = { ...before, owner: o1, phase: p1 as CaseSnapshot['phase'], state: `Internal ${o1}` };
          const a: CaseSnapshot = {
            ...after,
            owner: o2,
            phase: p2 as CaseSnapshot['phase'],
            state: `Internal ${o2}`,
            due: t('2011-02-10T12:00:00Z'),
          };
          for (const d of draftUpdates({ before: b, after: a, changes: meaningfulChanges(b, a) })) {
            if (d.audience !== 'customer') continue;
            expect(d.body).not.toContain(o1);
            expect(d.body).not.toContain(o2);
            expect(d.subject).not.toContain(o2);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('draftForAudience', () => {
  const issue = fixtureCase('TIMOB-18064');
  const at = issue.events.at(-1)!.at;
  const packet = buildHandoffPacket(issue, { at });
  const still = { ...snapshotCase(issue, at, resolve), due: t('2011-02-10T12:00:00Z') };

  it('drafts every audience on request, even when nothing changed, each valid', () => {
    expect(draftUpdates({ before: still, after: still, changes: [], packet })).toEqual([]);
    for (const audience of AUDIENCES) {
      const d = draftForAudience(audience, { before: still, after: still, changes: [], packet });
      expect(AudienceDraftSchema.parse(d)).toEqual(d);
      expect(d.audience).toBe(audience);
      expect(d.changes).toEqual([]);
      expect(d.body).not.toMatch(/What changed:|Change: \./);
    }
  });

  it("answers the customer's latest question first, with the expected date, and no internal names", () => {
    const d = draftForAudience('customer', {
      before: still,
      after: { ...still, phase: 'active' },
      changes: [],
      packet,
      customerQuestion: 'Können Sie das bis Freitag beheben?',
    });
    const lines = d.body.split('\n');
    expect(lines[2]).toBe('You asked: "Können Sie das bis Freitag beheben?"');
    expect(d.body).toContain('We are working on your request.');
    expect(d.body).toContain('Expected by: 2011-02-10.');
    expect(d.body).not.toMatch(/vduggal|mlangston|ingo/);
  });

  it('tells the team the latest decision and who acts next; the same news as draftUpdates when there is some', () => {
    const internal = draftForAudience('internal', { before: still, after: still, changes: [], packet });
    expect(internal.subject).toBe(`[${still.caseId}] status`);
    expect(internal.body).toContain('Decided: Deferring this out of 3.5.0');
    expect(internal.body).toContain('Next: ');
    const before = snapshotCase(trace, t('2011-01-31T12:59:46+01:00'), resolve);
    const after = snapshotCase(trace, t('2011-01-31T14:37:55+01:00'), resolve);
    const ctx = { before, after, changes: meaningfulChanges(before, after) };
    for (const d of draftUpdates(ctx)) expect(draftForAudience(d.audience, ctx)).toEqual(d);
  });
});
