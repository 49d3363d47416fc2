import {
  ChatAnswerSchema,
  type ChatActor,
  type ChatAnswerKind,
  type ChatInbound,
  type ChatInboundOutcome,
  type ChatInboundReply,
  type Issue,
} from '@baton/core';
import { ANSWER_ACTIONS, INPUT_ACTIONS } from './blocks.ts';
import type { KeyValuePort, LinkStore } from './ports.ts';
import {
  BlockActionsSchema,
  DirectMessageEventSchema,
  EventCallbackSchema,
  UrlVerificationSchema,
  stateInputs,
  type BlockActions,
} from './slack-payloads.ts';
import { MAX_REQUEST_AGE_S, verifySlackRequest } from './verify-request.ts';

export interface SlackInboundOptions {
  readonly signingSecret: string;
  /** Remembers signatures, event ids and answers (replays, Slack's retries, double clicks). */
  readonly store: KeyValuePort;
  readonly links: LinkStore;
  readonly now: () => number;
}

const EMPTY: ChatInboundReply = { status: 200, headers: {}, body: '' };
/** 401 with `X-Slack-No-Retry: 1`: a refused request is not worth Slack's retries (https://docs.slack.dev/apis/events-api/#retries). */
const REFUSED: ChatInboundReply = { status: 401, headers: { 'x-slack-no-retry': '1' }, body: '' };
/** Slack retries an event three times within about five minutes; ids are kept well past that. */
const EVENT_TTL_MS = 60 * 60_000;
/** A signature can only verify within five minutes either side of its timestamp. */
const SIGNATURE_TTL_MS = 2 * MAX_REQUEST_AGE_S * 1000 + 60_000;

const KIND_OF_ACTION = new Map<string, ChatAnswerKind>(
  Object.entries(ANSWER_ACTIONS).map(([kind, action]) => [action, kind as ChatAnswerKind]),
);

/** Each answer kind reads its own inputs from the message's state. */
const FIELDS: Readonly<Record<ChatAnswerKind, (inputs: Record<string, string>) => Record<string, unknown>>> = {
  onIt: () => ({}),
  reassign: () => ({}),
  approve: () => ({}),
  blocked: (i) => ({ waitingReason: i[INPUT_ACTIONS.waitingReason], detail: i[INPUT_ACTIONS.detail] }),
  override: (i) => ({ reason: { code: i[INPUT_ACTIONS.overrideReason], text: i[INPUT_ACTIONS.overrideText] ?? '' } }),
  reply: (i) => ({ text: i[INPUT_ACTIONS.replyText] }),
};
/** Answers that settle a message for good: the first one counts, any later one is a repeat. */
const ONCE: ReadonlySet<ChatAnswerKind> = new Set(['approve', 'override']);
const settledKey = (messageId: string) => `settled:${messageId}`;

/**
 * Opens a message settled by an answer the app then refused (no Jira permission, not the addressee):
 * the next answer to it counts again. Redelivered copies of the refused click stay repeats.
 */
export async function reopenAnswers(store: KeyValuePort, messageId: string): Promise<void> {
  await store.delete(settledKey(messageId));
}

const refused = (issue: Issue, reply: ChatInboundReply = REFUSED): ChatInboundOutcome => ({
  kind: 'refused',
  issue,
  reply,
});
const invalid = (path: (string | number)[], message: string): ChatInboundOutcome =>
  refused({ code: 'slack.payload', path, message }, { status: 400, headers: { 'x-slack-no-retry': '1' }, body: '' });

/**
 * Core's inbound half over Slack's Request URL (interactivity and Events API). It verifies the signature,
 * refuses stale and replayed requests, answers Slack's retries without repeating anything, and turns a
 * button click into core's answer. It only reads and remembers: what the answer does happens in the app,
 * after the reply (Slack waits three seconds).
 */
export function createSlackInbound(options: SlackInboundOptions): ChatInbound {
  const { store, links } = options;

  async function actorOf(userId: string, workspace: string | null): Promise<ChatActor> {
    return { surface: 'slack', userId, workspace, accountId: (await links.accountOf(userId)) ?? null };
  }

  async function blockActions(payload: BlockActions): Promise<ChatInboundOutcome> {
    const action = payload.actions[0];
    const kind = action === undefined ? undefined : KIND_OF_ACTION.get(action.action_id);
    if (action === undefined || kind === undefined) return { kind: 'other', reply: EMPTY };
    const by = await actorOf(payload.user.id, payload.team?.id ?? payload.user.team_id ?? null);
    const parsed = ChatAnswerSchema.safeParse({
      kind,
      messageId: action.value,
      by,
      ...FIELDS[kind](stateInputs(payload)),
    });
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return refused(
        { code: 'slack.answer', path: first?.path.map(String) ?? [], message: first?.message ?? 'invalid answer' },
        EMPTY,
      );
    }
    const answer = parsed.data;
    if (!(await store.setIfAbsent(`answer:${answer.messageId}:${by.userId}:${action.action_ts}`, '1', EVENT_TTL_MS)))
      return { kind: 'repeat', reply: EMPTY };
    // Only a linked person can settle a message; an unlinked click stays open for after they link.
    if (ONCE.has(kind) && by.accountId !== null && !(await store.setIfAbsent(settledKey(answer.messageId), kind)))
      return { kind: 'repeat', reply: EMPTY };
    return { kind: 'answer', answer, reply: EMPTY };
  }

  async function eventApi(body: unknown): Promise<ChatInboundOutcome> {
    const challenge = UrlVerificationSchema.safeParse(body);
    if (challenge.success)
      return {
        kind: 'other',
        reply: { status: 200, headers: { 'content-type': 'text/plain' }, body: challenge.data.challenge },
      };
    const envelope = EventCallbackSchema.safeParse(body);
    if (!envelope.success)
      return invalid(envelope.error.issues[0]?.path.map(String) ?? [], 'not an Events API request');
    if (!(await store.setIfAbsent(`event:${envelope.data.event_id}`, '1', EVENT_TTL_MS)))
      return { kind: 'repeat', reply: EMPTY };
    const dm = DirectMessageEventSchema.safeParse(envelope.data.event);
    if (!dm.success) return { kind: 'other', reply: EMPTY };
    return { kind: 'said', by: await actorOf(dm.data.user, envelope.data.team_id), text: dm.data.text, reply: EMPTY };
  }

  async function read(contentType: string, body: string): Promise<ChatInboundOutcome> {
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      const raw = new URLSearchParams(body).get('payload');
      if (raw === null) return invalid(['payload'], 'no payload field');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return invalid(['payload'], 'payload is not JSON');
      }
      const payload = BlockActionsSchema.safeParse(json);
      if (payload.success) return blockActions(payload.data);
      return { kind: 'other', reply: EMPTY };
    }
    if (contentType.startsWith('application/json')) {
      try {
        return await eventApi(JSON.parse(body));
      } catch (e) {
        if (e instanceof SyntaxError) return invalid([], 'body is not JSON');
        throw e;
      }
    }
    return invalid(['headers', 'content-type'], `unexpected content type '${contentType}'`);
  }

  return {
    async receive(request) {
      const verified = verifySlackRequest(options.signingSecret, request.headers, request.body, options.now());
      if (!verified.ok) return refused(verified.issues[0] as Issue);
      // The hex digest alone: Forge KVS keys allow [a-zA-Z0-9:._-#] and a space, not `=`.
      const signatureKey = `signature:${verified.value.signature.slice('v0='.length)}`;
      if (!(await store.setIfAbsent(signatureKey, '1', SIGNATURE_TTL_MS))) {
        const retry = Object.keys(request.headers).some((k) => k.toLowerCase() === 'x-slack-retry-num');
        return retry
          ? { kind: 'repeat', reply: EMPTY }
          : refused({
              code: 'slack.replayed',
              path: ['headers', 'x-slack-signature'],
              message: 'this exact request was already received',
            });
      }
      const contentType = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
      try {
        return await read(contentType, request.body);
      } catch (e) {
        // Nothing was taken: let Slack's retry of this very request through.
        await store.delete(signatureKey);
        throw e;
      }
    },
  };
}
