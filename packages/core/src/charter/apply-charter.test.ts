import { describe, expect, it } from 'vitest';
import { DEFAULT_CHARTER } from './default-charter.ts';
import { applyCharter } from './apply-charter.ts';
import { DecisionSchema, idempotencyKey, readLegacyRule, type Proposal } from '../decision/decision.ts';
import { sha256Hex } from '../text/sha256.ts';
import { charterOf } from '../../test/charters.ts';

// Tuesday 2016-12-20 11:00 UTC: business time in the default calendar.
const NOW = Date.parse('2016-12-20T11:00:00Z');
const HOUR = 3_600_000;

const proposal = (over: Partial<Proposal> = {}): Proposal => ({
  caseId: 'TIMOB-24250',
  pattern: 'router',
  rule: 'router.owner',
  threshold: 'state:Open',
  actions: [{ kind: 'assign', to: 'hansknoechel' }],
  reason: 'component iOS is owned by the iOS team',
  evidence: [{ label: 'component', value: 'iOS', source: 'attribute:components' }],
  confidence: 0.95,
  risk: 'low',
  at: NOW,
  ...over,
});

describe('applyCharter', () => {
  it('only suggests under the default charter (assist everywhere)', () => {
    const d = applyCharter(proposal(), DEFAULT_CHARTER, { now: NOW });
    expect(d.disposition).toBe('suggest');
    expect(d.dispositionRule).toBe('autonomy.assist:assign');
    expect(d.id).toBe(idempotencyKey(proposal()));
    expect(d.idempotencyKey).toBe(d.id);
  });

  it('never emits a decision its schema refuses: an action to an empty person is left out, with the reason', () => {
    const empty = applyCharter(
      proposal({ actions: [{ kind: 'notify', to: '', message: 'still waiting?' }] }),
      DEFAULT_CHARTER,
      { now: NOW },
    );
    expect(DecisionSchema.safeParse(empty).success).toBe(true);
    expect(empty).toMatchObject({ disposition: 'drop', dispositionRule: 'schema.invalidAction', actions: [] });
    expect(empty.reason).toMatch(/refused, no valid action \(notify\.to: /);
    const mixed = applyCharter(
      proposal({
        actions: [
          { kind: 'assign', to: 'ann' },
          { kind: 'notify', to: undefined as unknown as string, message: 'm' },
        ],
      }),
      DEFAULT_CHARTER,
      { now: NOW },
    );
    expect(DecisionSchema.safeParse(mixed).success).toBe(true);
    expect(mixed.actions).toEqual([{ kind: 'assign', to: 'ann' }]);
    expect(mixed.disposition).toBe('suggest');
    expect(mixed.reason).toMatch(/\(left out: notify\.to: /);
  });

  it('acts under automate when the confidence clears the act line, suggests below it', () => {
    const c = charterOf({ autonomy: { kinds: { assign: 'automate' } } });
    expect(applyCharter(proposal(), c, { now: NOW }).disposition).toBe('act');
    const mid = applyCharter(proposal({ confidence: 0.7 }), c, { now: NOW });
    expect([mid.disposition, mid.dispositionRule]).toEqual(['suggest', 'confidence.suggest']);
    const low = applyCharter(proposal({ confidence: 0.2 }), c, { now: NOW });
    expect([low.disposition, low.dispositionRule]).toEqual(['escalate', 'confidence.belowSuggest']);
  });

  it("only ever suggests a language model's guess: under automate at a zero act line, and under enforce", () => {
    const guess = proposal({
      rule: 'router.classify',
      source: 'model',
      confidence: 0.5,
      actions: [{ kind: 'setField', field: 'components', value: 'iOS' }],
    });
    for (const c of [
      charterOf({ autonomy: { kinds: { setField: 'automate' } }, confidence: { act: 0, suggest: 0 } }),
      charterOf({ autonomy: { kinds: { setField: 'enforce' } } }),
    ]) {
      const d = applyCharter(guess, c, { now: NOW });
      expect([d.disposition, d.dispositionRule, d.because]).toEqual([
        'suggest',
        'model.suggestOnly',
        { code: 'model.suggestOnly' },
      ]);
      // The same proposal from the rules acts: who made it is `source`, never read from the rule's name.
      const { source: _model, ...fromRules } = guess;
      expect(applyCharter(fromRules, c, { now: NOW }).disposition).toBe('act');
      expect(applyCharter({ ...guess, source: 'rules' }, c, { now: NOW }).disposition).toBe('act');
    }
  });

  it('enforce acts between the suggest and act lines', () => {
    const c = charterOf({ autonomy: { kinds: { assign: 'enforce' } } });
    const d = applyCharter(proposal({ confidence: 0.7 }), c, { now: NOW });
    expect(d.dispositionRule).toBe('autonomy.enforce:assign');
    expect(d.because).toEqual({ code: 'autonomy.enforce', kind: 'assign' });
  });

  it('drops actions whose kind is off', () => {
    const c = charterOf({ autonomy: { kinds: { assign: 'off' } } });
    const d = applyCharter(proposal(), c, { now: NOW });
    expect([d.disposition, d.dispositionRule]).toEqual(['drop', 'autonomy.off:assign']);
  });

  it('never automates a customer-facing comment unless the charter says so', () => {
    const comment = proposal({ actions: [{ kind: 'comment', audience: 'customer', body: 'We are on it.' }] });
    const c = charterOf({ autonomy: { default: 'automate' } });
    expect(applyCharter(comment, c, { now: NOW }).dispositionRule).toBe('risk.customerFacing');
    const allowed = charterOf({ autonomy: { default: 'automate' }, risk: { autoCustomerFacing: true } });
    expect(applyCharter(comment, allowed, { now: NOW }).disposition).toBe('act');
    const internal = proposal({ actions: [{ kind: 'comment', audience: 'internal', body: 'FYI' }] });
    expect(applyCharter(internal, c, { now: NOW }).disposition).toBe('act');
  });

  it('escalates money fields to a person, raises priority changes to medium risk', () => {
    const c = charterOf({ autonomy: { default: 'automate' }, risk: { moneyFields: ['customfield_credit'] } });
    const money = applyCharter(
      proposal({ actions: [{ kind: 'setField', field: 'customfield_credit', value: 500 }] }),
      c,
      { now: NOW },
    );
    expect([money.disposition, money.risk, money.dispositionRule]).toEqual(['escalate', 'high', 'risk.high']);
    const prio = applyCharter(proposal({ actions: [{ kind: 'setField', field: 'priority', value: 'High' }] }), c, {
      now: NOW,
    });
    expect([prio.disposition, prio.risk]).toEqual(['act', 'medium']);
  });

  it('holds nudges back: recent human touch, quiet hours, caps per case and per person', () => {
    const c = charterOf({ autonomy: { default: 'automate' }, caps: { quietHours: { from: '12:00', to: '13:00' } } });
    const nudge = proposal({
      pattern: 'watchdog',
      rule: 'watchdog.stall',
      actions: [{ kind: 'notify', to: 'ann', message: 'stalled' }],
    });
    expect(applyCharter(nudge, c, { now: NOW }).disposition).toBe('act');
    expect(applyCharter(nudge, c, { now: NOW, lastHumanActivityAt: NOW - HOUR }).dispositionRule).toBe(
      'caps.recentTouch',
    );
    expect(applyCharter(nudge, c, { now: NOW, lastHumanActivityAt: NOW - 24 * HOUR }).disposition).toBe('act');
    expect(applyCharter(nudge, c, { now: NOW + 1.5 * HOUR }).dispositionRule).toBe('caps.quietHours');
    expect(applyCharter(nudge, c, { now: Date.parse('2016-12-20T20:00:00Z') }).dispositionRule).toBe('caps.quietHours');
    expect(applyCharter(nudge, c, { now: NOW, caseNudgesToday: 1 }).dispositionRule).toBe('caps.perCaseDay');
    expect(applyCharter(nudge, c, { now: NOW, personNudgesToday: new Map([['ann', 5]]) }).dispositionRule).toBe(
      'caps.perPersonDay',
    );
  });

  it('never holds a handoff: a handoff email takes no cap and waits out no recent touch or quiet hours', () => {
    const c = charterOf({ autonomy: { default: 'automate' }, caps: { quietHours: { from: '12:00', to: '13:00' } } });
    const handoff = proposal({
      pattern: 'clerk',
      rule: 'clerk.handoff',
      actions: [{ kind: 'notify', to: 'ann', via: 'email', message: 'you now own it', handoff: true }],
    });
    const held = { now: NOW + 1.5 * HOUR, lastHumanActivityAt: NOW, caseNudgesToday: 1 };
    const d = applyCharter(handoff, c, { ...held, personNudgesToday: new Map([['ann', 5]]) });
    expect([d.disposition, d.dispositionRule]).toEqual(['act', 'confidence.act']);
    // The same email without the handoff mark is a nudge, held like any other.
    const { handoff: _, ...plain } = handoff.actions[0] as { handoff: true };
    expect(applyCharter({ ...handoff, actions: [plain as never] }, c, held).dispositionRule).toBe('caps.recentTouch');
  });

  it('derives the same id from the same case, pattern, rule and threshold only', () => {
    const a = applyCharter(proposal(), DEFAULT_CHARTER, { now: NOW });
    const b = applyCharter(proposal({ at: NOW + HOUR, reason: 'other words', confidence: 0.6 }), DEFAULT_CHARTER, {
      now: NOW + HOUR,
    });
    expect(b.id).toBe(a.id);
    expect(applyCharter(proposal({ threshold: 'state:Closed' }), DEFAULT_CHARTER, { now: NOW }).id).not.toBe(a.id);
    expect(idempotencyKey({ caseId: 'a|b', pattern: 'router', rule: 'c', threshold: '' })).not.toBe(
      idempotencyKey({ caseId: 'a', pattern: 'router', rule: 'b|c', threshold: '' }),
    );
  });

  it("keys a model's guess by its rule and source: apart from the rules' own firing, never by a name suffix", () => {
    const firing = {
      caseId: 'SUP-6',
      pattern: 'router',
      rule: 'router.classify',
      threshold: 'field:components=iOS',
    } as const;
    const byRules = idempotencyKey(firing);
    // The rules' keys are what they were before `source` joined the key: absent and `rules` are the same.
    expect(idempotencyKey({ ...firing, source: 'rules' })).toBe(byRules);
    expect(byRules).toBe(`d-${sha256Hex('5:SUP-6|6:router|15:router.classify|20:field:components=iOS').slice(0, 32)}`);
    const byModel = idempotencyKey({ ...firing, source: 'model' });
    expect(byModel).not.toBe(byRules);
    expect(byModel).not.toBe(idempotencyKey({ ...firing, rule: 'router.classify.model' }));
    const d = applyCharter(proposal({ ...firing, source: 'model' }), DEFAULT_CHARTER, { now: NOW });
    expect([d.rule, d.source, d.id]).toEqual(['router.classify', 'model', byModel]);
  });

  it('reads the rule ids logged with a model suffix as their rule and source: model', () => {
    expect(readLegacyRule('router.classify.model')).toEqual({ rule: 'router.classify', source: 'model' });
    expect(readLegacyRule('router.owner.model', 'rules')).toEqual({ rule: 'router.owner', source: 'model' });
    expect(readLegacyRule('router.owner')).toEqual({ rule: 'router.owner' });
    expect(readLegacyRule('router.owner', 'model')).toEqual({ rule: 'router.owner', source: 'model' });
    // Only the two names the router once wrote: another rule ending so is a rule's own name.
    expect(readLegacyRule('watchdog.model')).toEqual({ rule: 'watchdog.model' });
  });
});
