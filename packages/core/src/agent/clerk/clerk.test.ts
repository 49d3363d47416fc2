import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../../model/event.ts';
import { fixtureCase } from '../../../test/appcelerator-cases.ts';
import { createWorkflowResolver } from '../../model/workflow.ts';
import { buildHandoffPacket } from './clerk.ts';
import { HandoffPacketSchema } from './clerk-packet.ts';

const after = (key: string) => {
  const c = fixtureCase(key);
  return { record: c, at: c.events.at(-1)!.at + 1 };
};

describe('buildHandoffPacket on real issues', () => {
  it('TIMOB-18064: the deferral decision, the open asks to vduggal, links and the next owner', () => {
    const { record, at } = after('TIMOB-18064');
    const p = buildHandoffPacket(record, { at });
    expect(HandoffPacketSchema.parse(p)).toEqual(p);
    expect(p.decisions.map((d) => [d.by, d.evidence])).toEqual([['ingo', 'comment-5']]);
    expect(p.decisions[0]!.text).toMatch(/^Deferring this out of 3\.5\.0/);
    expect(p.openQuestions.map((q) => [q.evidence, q.addressedTo])).toEqual([
      ['comment-3', ['vduggal']],
      ['comment-4', ['vduggal']],
    ]);
    expect(p.links.map((l) => `${l.kind}:${l.target}`)).toEqual([
      'issue:TIMOB-11093',
      'issue:TIMOB-17925',
      'attachment:buildTiCore_output.txt',
    ]);
    expect(p.nextOwner).toMatchObject({ who: 'vduggal', basis: 'addressee' });
    expect(p.risks.map((r) => r.code)).toEqual(['owner.none', 'questions.open']);
    expect(p.stakeholders[0]).toMatchObject({ who: 'vduggal', roles: ['mentioned', 'reporter'] });
    expect(p.summary.text).toContain('unassigned');
    expect(p.summary.source).toBe('rules');
  });

  it('TIMOB-25040: quoted error output is not read; the last questions stay open for the reporter', () => {
    const { record, at } = after('TIMOB-25040');
    const p = buildHandoffPacket(record, { at });
    const all = JSON.stringify(p);
    expect(all).not.toContain('There were errors in the data supplied');
    expect(all).not.toContain('[ERROR]');
    expect(p.openQuestions.every((q) => q.evidence === 'comment-8' && q.addressedTo[0] === 'mikezal1')).toBe(true);
    expect(p.openQuestions).toHaveLength(2);
  });

  it('AC-4682 seen mid-way: reads only the past, and a question answered later is no longer open', () => {
    const record = fixtureCase('AC-4682');
    const firstTwo = buildHandoffPacket(record, { at: record.events[2]!.at });
    const early = buildHandoffPacket(record, { at: record.events[1]!.at });
    expect(early.facts.comments).toBe(1);
    expect(early.openQuestions.map((q) => q.text)).toEqual([
      'Hello, Does it happens for Android or iOS?',
      'Can you attach the crash log in here?',
    ]);
    expect(firstTwo.facts.comments).toBe(2);
    expect(firstTwo.openQuestions).toEqual([]);
    const end = buildHandoffPacket(record, { at: record.events.at(-1)!.at });
    expect(end.decisions.map((d) => d.text)).toEqual(['Resolving as duplicate from TIMOB-24136.']);
    expect(end.phase).toBe('done');
  });

  it('checks the definition of ready: present and missing artifacts', () => {
    const { record, at } = after('TIMOB-20494');
    const p = buildHandoffPacket(record, {
      at,
      requirements: [
        { kind: 'link' },
        { kind: 'field', field: 'priority' },
        { kind: 'field', field: 'customfield_10010', label: 'customer PO number' },
        { kind: 'approval' },
      ],
    });
    expect(p.readiness).toEqual({
      state: 'Closed',
      ready: false,
      items: [
        { requirement: 'a linked issue or URL', status: 'present', detail: 'comment-1' },
        { requirement: 'field priority', status: 'present', detail: 'field:priority' },
        { requirement: 'customer PO number', status: 'missing', detail: 'ask for customer PO number' },
        { requirement: 'an approval', status: 'missing', detail: 'ask for an approval' },
      ],
    });
    expect(p.summary.text).toContain('Missing before it can move on: customer PO number, an approval.');
  });

  it('follows owner changes and waiting states: handoffs, ping-pong, the customer as next owner', () => {
    const base = fixtureCase('AC-4682');
    const t0 = base.events[0]!.at;
    const ev = (dt: number, e: Pick<CaseEvent, 'kind'> & Partial<CaseEvent>): CaseEvent => ({
      caseId: base.id,
      at: t0 + dt,
      offsetMinutes: 0,
      ...e,
    });
    const record = {
      ...base,
      state: undefined,
      owner: undefined,
      events: [
        ...base.events.slice(0, 1),
        ev(1, { kind: 'owner', to: 'sdarda' }),
        ev(2, { kind: 'owner', from: 'sdarda', to: 'hknoechel' }),
        ev(3, { kind: 'owner', from: 'hknoechel', to: 'sdarda' }),
        ev(4, { kind: 'status', to: 'Waiting for customer' }),
      ],
    };
    const p = buildHandoffPacket(record, { at: t0 + 10, resolve: createWorkflowResolver() });
    expect(p.facts.handoffs).toBe(2);
    expect(p.risks.map((r) => r.code)).toContain('handoff.ping-pong');
    expect(p.risks.map((r) => r.code)).toContain('blocked');
    expect(p.nextOwner).toMatchObject({ who: 'findawebguy', basis: 'reporter' });
  });

  it('failure path: a case with no events, no description and no reporter still gives a valid packet', () => {
    const p = buildHandoffPacket({ id: 'X-1', source: 'test', attributes: {}, events: [] }, { at: 0 });
    expect(HandoffPacketSchema.safeParse(p).success).toBe(true);
    expect(p).toMatchObject({ state: null, phase: null, owner: null, decisions: [], openQuestions: [], links: [] });
    expect(p.summary.text).toBe(
      'X-1. State unknown, unassigned. Opened an unknown date; 0 comments, 0 handoffs. Next: the queue (nobody owns the case: the queue must pick it up).',
    );
  });

  it('failure path: a state the workflow does not know maps by the default rules, never throws', () => {
    const { record, at } = after('TIMOB-18064');
    const p = buildHandoffPacket({ ...record, state: 'Zxqv Limbo' }, { at });
    expect(p.state).toBe('Zxqv Limbo');
    expect(p.phase).toBe('active');
  });

  it('is deterministic', () => {
    const { record, at } = after('TIMOB-20494');
    expect(JSON.stringify(buildHandoffPacket(record, { at }))).toBe(JSON.stringify(buildHandoffPacket(record, { at })));
  });
});
