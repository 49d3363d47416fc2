import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sampleWorkspace, startSlackSim, type SlackSim } from '@baton/slack-sim';
import {
  planAnswer,
  type AnswerEffect,
  type ApprovalMessage,
  type ChatInboundOutcome,
  type ChatMessage,
  type NudgeMessage,
  type QuestionMessage,
  type ReportMessage,
} from '@baton/core';
import {
  createKeyValueLinkStore,
  createMemoryKeyValue,
  createSlackInbound,
  createSlackSurface,
  createSlackWebClient,
  type LinkStore,
} from '../src/index.ts';

export const SECRET = 'test-signing-secret';
export const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

/** The sim, the adapter's two halves over real HTTP, and an app that plans each answer and records what it would do. */
export async function startHarness() {
  const clock = { now: T0 };
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock.now += ms; // the sim's rate windows move on the same clock: waiting is real to it
  };
  const sim: SlackSim = await startSlackSim({
    workspace: sampleWorkspace(),
    signingSecret: SECRET,
    clock: () => clock.now,
  });
  const kv = createMemoryKeyValue(() => clock.now);
  const links: LinkStore = createKeyValueLinkStore(kv);
  const web = createSlackWebClient('xoxb-test-bot', { slackApiUrl: sim.apiUrl });
  const surface = createSlackSurface({ web, store: kv, links, sleep, maxWaitMs: 30_000 });
  const inbound = createSlackInbound({ signingSecret: SECRET, store: kv, links, now: () => clock.now });

  /** What the app knows: messages it sent, who holds the Jira permission, and what it did. */
  const sent = new Map<string, ChatMessage>();
  const permitted = new Set<string>(['acc-ana', 'acc-lee']);
  const effects: AnswerEffect[] = [];
  const outcomes: ChatInboundOutcome[] = [];
  const refusals: string[] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      );
      void inbound.receive({ headers, body: Buffer.concat(chunks).toString('utf8') }).then((outcome) => {
        outcomes.push(outcome);
        res.writeHead(outcome.reply.status, outcome.reply.headers);
        res.end(outcome.reply.body);
        // After the reply, as Slack's three seconds require: plan and record.
        if (outcome.kind !== 'answer') return;
        const message = sent.get(outcome.answer.messageId);
        if (message === undefined) return void refusals.push('unknown message');
        const plan = planAnswer(message, outcome.answer, {
          pattern: message.kind === 'approval' ? 'router' : 'watchdog',
          permitted: outcome.answer.by.accountId !== null && permitted.has(outcome.answer.by.accountId),
        });
        if (plan.ok) effects.push(...plan.value.effects);
        else refusals.push(plan.issues[0]?.code ?? 'refused');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack`;

  const deliver = async (m: ChatMessage) => {
    sent.set(m.id, m);
    return surface.deliver(m);
  };

  return {
    clock,
    sleeps,
    sim,
    kv,
    links,
    surface,
    inbound,
    sent,
    permitted,
    effects,
    outcomes,
    refusals,
    appUrl,
    deliver,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sim.close();
    },
  };
}
export type Harness = Awaited<ReturnType<typeof startHarness>>;

const CASE = { caseId: 'SUP-7', title: 'Invoice PDF missing', url: 'https://acme.atlassian.net/browse/SUP-7' };

export const nudgeFor = (accountId: string, id = `d-nudge-${accountId}`): NudgeMessage => ({
  kind: 'nudge',
  id,
  at: T0,
  to: { kind: 'person', accountId },
  case: CASE,
  decisionId: id,
  text: 'SUP-7 has waited 3 business days in Waiting for support; the resolution SLA breaches tomorrow 10:00',
  evidence: [
    { label: 'state', value: 'Waiting for support', source: 'event:2026-12-04T10:00Z' },
    { label: 'SLA', value: 'resolution 75%', source: 'sla:resolution' },
  ],
});

export const approvalFor = (accountId: string, id = 'd-assign'): ApprovalMessage => ({
  kind: 'approval',
  id,
  at: T0,
  to: { kind: 'person', accountId },
  case: CASE,
  decisionId: id,
  actions: ['assign to acc-lee'],
  text: 'Billing issues go to the billing queue',
  evidence: [{ label: 'component', value: 'Billing', source: 'field:components' }],
  confidence: 0.72,
  risk: 'low',
  overrideReasons: [
    { code: 'wrong-owner', label: 'Wrong owner' },
    { code: 'other', label: 'Other' },
  ],
});

export const questionFor = (accountId: string): QuestionMessage => ({
  kind: 'question',
  id: 'd-ask',
  at: T0,
  to: { kind: 'person', accountId },
  case: CASE,
  decisionId: 'd-ask',
  text: 'To start on SUP-7 we need the invoice number.',
  items: ['invoice number'],
});

export const reportFor = (
  channel: string,
  day: string,
  text = 'Open 12 · at risk 2\nSUP-7 waits on the customer',
): ReportMessage => ({
  kind: 'report',
  id: `report:${channel}:${day}`,
  at: T0,
  to: { kind: 'channel', channel },
  day,
  report: {
    from: T0 - 86_400_000,
    to: T0,
    totals: { open: 12, created: 3, changed: 5, atRisk: 2, closedInPeriod: 4 },
    changed: [],
    atRisk: [],
    actNext: [],
  },
  text,
});
