import { describe, expect, it } from 'vitest';
import { verifyAudit, appendAudit, trustScore, type AuditEntry } from '../decision/audit.ts';
import { ChatAnswerSchema, type ChatActor, type ChatAnswer } from './chat-answer.ts';
import { ChatMessageSchema, type ApprovalMessage, type NudgeMessage, type QuestionMessage } from './chat-message.ts';
import { planAnswer } from './plan-answer.ts';

const CASE = { caseId: 'SUP-7', title: 'Invoice PDF missing', url: 'https://acme.atlassian.net/browse/SUP-7' };
const nudge: NudgeMessage = ChatMessageSchema.parse({
  kind: 'nudge',
  id: 'd-nudge',
  at: 1_765_000_000_000,
  to: { kind: 'person', accountId: 'acc-ana' },
  case: CASE,
  decisionId: 'd-nudge',
  text: 'SUP-7 has waited 3 business days in Waiting for support',
  evidence: [{ label: 'idle', value: '3d', source: 'event:2026-12-04T10:00Z' }],
}) as NudgeMessage;
const approval = ChatMessageSchema.parse({
  kind: 'approval',
  id: 'd-assign',
  at: 1_765_000_000_000,
  to: { kind: 'person', accountId: 'acc-lead' },
  case: CASE,
  decisionId: 'd-assign',
  actions: ['assign to acc-bo'],
  text: 'Billing issues go to the billing queue',
  evidence: [],
  confidence: 0.72,
  risk: 'low',
  overrideReasons: [
    { code: 'wrong-owner', label: 'Wrong owner' },
    { code: 'other', label: 'Other' },
  ],
}) as ApprovalMessage;
const question = ChatMessageSchema.parse({
  kind: 'question',
  id: 'd-ask',
  at: 1_765_000_000_000,
  to: { kind: 'person', accountId: 'acc-rita' },
  case: CASE,
  decisionId: 'd-ask',
  text: 'Which invoice number is it?',
  items: ['invoice number'],
}) as QuestionMessage;

const actor = (accountId: string | null): ChatActor => ({
  surface: 'slack',
  userId: 'U0ANA',
  workspace: 'T1',
  accountId,
});
type Unattributed = ChatAnswer extends infer A ? (A extends ChatAnswer ? Omit<A, 'by'> : never) : never;
const answer = (a: Unattributed, accountId: string | null = 'acc-ana'): ChatAnswer =>
  ChatAnswerSchema.parse({ by: actor(accountId), ...a });
const allowed = { pattern: 'watchdog', permitted: true } as const;

describe('planAnswer', () => {
  it('turns "Blocked by…" into an attributed internal comment, a waiting reason and a human touch', () => {
    const plan = planAnswer(
      nudge,
      answer({ kind: 'blocked', messageId: 'd-nudge', waitingReason: 'vendor', detail: 'Stripe support ticket 4411' }),
      allowed,
    );
    expect(plan).toEqual({
      ok: true,
      value: {
        caseId: 'SUP-7',
        effects: [
          {
            kind: 'comment',
            author: 'acc-ana',
            body: 'Blocked by: Stripe support ticket 4411 (waiting on vendor)',
            attribution: 'Answered on slack by U0ANA',
            audience: 'internal',
          },
          { kind: 'waiting', reason: 'vendor' },
          { kind: 'touch', by: 'acc-ana' },
        ],
      },
    });
  });

  it('"On it" is a touch and "Reassign" asks the router for someone else', () => {
    const onIt = planAnswer(nudge, answer({ kind: 'onIt', messageId: 'd-nudge' }), allowed);
    const reassign = planAnswer(nudge, answer({ kind: 'reassign', messageId: 'd-nudge' }), allowed);
    expect(onIt.ok && onIt.value.effects).toEqual([{ kind: 'touch', by: 'acc-ana' }]);
    expect(reassign.ok && reassign.value.effects).toEqual([{ kind: 'reroute', exclude: 'acc-ana' }]);
  });

  it('an approval executes the decision and audits it with both the Slack user and the Jira account', () => {
    const plan = planAnswer(approval, answer({ kind: 'approve', messageId: 'd-assign' }, 'acc-lead'), {
      pattern: 'router',
      permitted: true,
    });
    expect(plan.ok && plan.value.effects).toEqual([
      {
        kind: 'audit',
        record: {
          type: 'outcome',
          decisionId: 'd-assign',
          pattern: 'router',
          outcome: 'accepted',
          by: 'acc-lead',
          via: { surface: 'slack', userId: 'U0ANA' },
        },
      },
      { kind: 'execute', decisionId: 'd-assign' },
    ]);
  });

  it('an override records the reason code and the free text, and the chain and trust score read them', () => {
    const plan = planAnswer(
      approval,
      answer(
        { kind: 'override', messageId: 'd-assign', reason: { code: 'wrong-owner', text: 'Bo is on leave' } },
        'acc-lead',
      ),
      { pattern: 'router', permitted: true },
    );
    if (!plan.ok) throw new Error('expected a plan');
    const effect = plan.value.effects[0];
    if (effect?.kind !== 'audit') throw new Error('expected an audit effect first');
    expect(effect.record).toMatchObject({ outcome: 'overridden', reason: 'wrong-owner', note: 'Bo is on leave' });
    const log: AuditEntry[] = appendAudit([], effect.record, 1);
    expect(verifyAudit(log).ok).toBe(true);
    expect(trustScore(log).router?.overrideReasons).toEqual({ 'wrong-owner': 1 });
  });

  it('a reply to a question is the person’s comment and re-checks readiness', () => {
    const plan = planAnswer(
      question,
      answer({ kind: 'reply', messageId: 'd-ask', text: 'INV-2291' }, 'acc-rita'),
      allowed,
    );
    expect(plan.ok && plan.value.effects.map((e) => e.kind)).toEqual(['comment', 'touch', 'recheckReadiness']);
  });

  it('refuses, with the reason as data, an unlinked person, a stranger, a missing permission, a wrong message or kind', () => {
    const codes = [
      planAnswer(approval, answer({ kind: 'approve', messageId: 'd-assign' }, null), allowed),
      planAnswer(approval, answer({ kind: 'approve', messageId: 'd-assign' }, 'acc-ana'), allowed),
      planAnswer(approval, answer({ kind: 'approve', messageId: 'd-assign' }, 'acc-lead'), {
        ...allowed,
        permitted: false,
      }),
      planAnswer(approval, answer({ kind: 'approve', messageId: 'd-other' }, 'acc-lead'), allowed),
      planAnswer(approval, answer({ kind: 'onIt', messageId: 'd-assign' }, 'acc-lead'), allowed),
    ].map((r) => (r.ok ? 'ok' : r.issues[0]?.code));
    expect(codes).toEqual(['chat.unlinked', 'chat.notAddressee', 'chat.forbidden', 'chat.message', 'chat.answerKind']);
  });
});

describe('chat schemas', () => {
  it('name the field that is wrong and keep the rest', () => {
    const r = ChatAnswerSchema.safeParse({
      kind: 'blocked',
      messageId: 'm',
      by: actor('a'),
      waitingReason: 'moon',
      detail: ' ',
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['detail', 'waitingReason']);
    const m = ChatMessageSchema.safeParse({ ...approval, overrideReasons: [] });
    expect(m.error?.issues[0]?.path).toEqual(['overrideReasons']);
  });

  it('refuse a report addressed to a person rather than a channel', () => {
    const r = ChatMessageSchema.safeParse({
      kind: 'report',
      id: 'report:C1:2026-12-07',
      at: 0,
      to: { kind: 'person', accountId: 'acc-ana' },
      day: '2026-12-07',
      report: {
        from: 0,
        to: 1,
        totals: { open: 0, created: 0, changed: 0, atRisk: 0, closedInPeriod: 0 },
        changed: [],
        atRisk: [],
        actNext: [],
      },
      text: 'Nothing changed.',
    });
    expect(r.error?.issues[0]?.path).toEqual(['to', 'kind']);
  });
});
