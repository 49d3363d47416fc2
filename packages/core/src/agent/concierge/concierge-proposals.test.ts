import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../../test/bpic-fixture.ts';
import { charterOf } from '../../../test/charters.ts';
import { compileCharter } from '../../charter/compile-charter.ts';
import { parseCharter } from '../../charter/parse-charter.ts';
import { createWorkflowResolver } from '../../model/workflow.ts';
import { snapshotCase, type CaseSnapshot } from '../../model/case-snapshot.ts';
import { parseTimestamp } from '../../time/timestamp.ts';
import { audienceOfRule } from './audiences.ts';
import { conciergeRetryAt, proposeOnChange } from './concierge-proposals.ts';

// The concierge as the charter configures it, on a real BPIC 2013 incident (1-467153946).
const resolve = createWorkflowResolver();
const t = (s: string) => parseTimestamp(s)!.at;
const trace = bpicTraces().find((c) => c.id === '1-467153946')!;
const before = snapshotCase(trace, t('2011-01-31T12:59:46+01:00'), resolve);
// Waiting for the user, and now at risk: news for the customer, the team and the executive.
const after: CaseSnapshot = { ...snapshotCase(trace, t('2011-01-31T14:37:55+01:00'), resolve), sla: 'at-risk' };
const teams = [{ id: 'n52', lead: 'lea', members: [{ id: 'N52 2nd' }] }];
const charter = (concierge: unknown) =>
  compileCharter(charterOf({ routing: { teams }, ...(concierge === undefined ? {} : { concierge }) }));

describe('proposeOnChange: the concierge the charter turns on', () => {
  it('proposes nothing unless the charter names an audience (the default)', () => {
    expect(proposeOnChange(before, after, charter(undefined))).toEqual([]);
  });

  it('the audiences named; the executive update by email to the lead of the owner’s team', () => {
    const ps = proposeOnChange(before, after, charter({ onChange: ['internal', 'executive'] }));
    expect(ps.map((p) => p.rule)).toEqual(['concierge.update.internal', 'concierge.update.executive']);
    const [internal, exec] = ps;
    expect(internal!.actions).toEqual([{ kind: 'comment', audience: 'internal', body: expect.any(String) }]);
    expect(exec!.actions).toEqual([
      {
        kind: 'notify',
        to: 'lea',
        via: 'email',
        subject: expect.stringContaining('1-467153946'),
        message: expect.stringContaining('is at risk of breaching its SLA'),
      },
    ]);
    // The same change seen again is the same firing (threshold: the change and its moment).
    expect(proposeOnChange(before, after, charter({ onChange: ['internal', 'executive'] }))).toEqual(ps);
  });

  it('lists the people its drafts may name by id (the owner), so a caller can show them by name', () => {
    const ps = proposeOnChange(before, after, charter({ onChange: ['internal'] }));
    const [internal] = ps;
    const owner = after.owner!;
    expect(internal!.actions[0]).toMatchObject({ body: expect.stringContaining(`owner ${owner}`) });
    expect(internal!.people).toEqual(expect.arrayContaining([owner]));
    // Only people: no undefined, no empty id, no repeats.
    expect(new Set(internal!.people).size).toBe(internal!.people!.length);
    expect(internal!.people!.every((id) => typeof id === 'string' && id !== '')).toBe(true);
  });

  it('each proposal names its audience by a literal rule code, which reads back to that audience', () => {
    const ps = proposeOnChange(before, after, charter({ onChange: ['customer', 'internal', 'executive'] }));
    expect(ps.map((p) => audienceOfRule(p.rule))).toEqual(['customer', 'internal', 'executive']);
    expect([audienceOfRule('concierge.update.vip'), audienceOfRule('router.owner')]).toEqual([null, null]);
  });

  it('by comment when the charter says so; none for the executive when no lead is named; none on noise', () => {
    const [exec] = proposeOnChange(before, after, charter({ onChange: ['executive'], executiveBy: 'comment' }));
    expect(exec!.actions[0]).toEqual({ kind: 'notify', to: 'lea', message: expect.any(String) });
    const leadless = compileCharter(
      charterOf({
        routing: { teams: [{ id: 'n52', members: [{ id: 'N52 2nd' }] }] },
        concierge: { onChange: ['executive'] },
      }),
    );
    expect(proposeOnChange(before, after, leadless)).toEqual([]);
    // A state renamed within the same phase, nothing else: not worth an update nobody asked for.
    const renamed: CaseSnapshot = { ...before, state: 'Accepted/Assigned' };
    expect(proposeOnChange(before, renamed, charter({ onChange: ['customer', 'internal', 'executive'] }))).toEqual([]);
  });

  it('only the audiences asked for, of those the charter names; a held update is tried when the gate turns', () => {
    const c = charter({ onChange: ['internal', 'executive'] });
    expect(proposeOnChange(before, after, c, {}, ['executive', 'customer']).map((p) => p.rule)).toEqual([
      'concierge.update.executive',
    ]);
    // Monday 13:00 UTC, touched a minute ago: the recent touch (4 business hours) runs out at 16:59.
    const now = Date.parse('2026-11-23T13:00:00Z');
    expect(conciergeRetryAt(c, { now, lastHumanActivityAt: now - 60_000 })).toBe(Date.parse('2026-11-23T16:59:00Z'));
    // No touch: the gate's next turn is 17:00, when quiet outside business hours begins; on a charter
    // that is never quiet, the next UTC day (a day's cap).
    expect(conciergeRetryAt(c, { now })).toBe(Date.parse('2026-11-23T17:00:00Z'));
    const loud = compileCharter(
      charterOf({
        routing: { teams },
        concierge: { onChange: ['internal'] },
        caps: { quietOutsideBusinessHours: false },
      }),
    );
    expect(conciergeRetryAt(loud, { now })).toBe(Date.parse('2026-11-24T00:00:00Z'));
  });

  it('refuses an audience it does not know, naming the field', () => {
    const r = parseCharter({ version: 2, concierge: { onChange: ['board'] } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path.join('.'))).toContain('concierge.onChange.0');
  });
});
