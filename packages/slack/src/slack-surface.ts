import type { WebClient } from '@slack/web-api';
import {
  ChatMessageSchema,
  fail,
  ok,
  type ChatDelivery,
  type ChatMessage,
  type ChatSurface,
  type DeliveryIssue,
  type Result,
} from '@baton/core';
import { blocksFor, fallbackText, settledBlocks } from './blocks.ts';
import type { KeyValuePort, LinkStore } from './ports.ts';
import { callSlack, type BackoffOptions } from './slack-call.ts';

export interface SlackSurfaceOptions extends BackoffOptions {
  /** Built with `rejectRateLimitedCalls: true` and `retryConfig: { retries: 0 }` (see `createSlackWebClient`). */
  readonly web: WebClient;
  readonly store: KeyValuePort;
  readonly links: LinkStore;
}

/** How long a delivery in flight holds its message id against a concurrent redelivery. */
const CLAIM_MS = 60_000;

const deliveryKey = (id: string) => `delivery:${id}`;
const claimKey = (id: string) => `delivering:${id}`;
const SURFACE = 'slack';

const failed = (issue: DeliveryIssue): Result<never, DeliveryIssue> => fail(issue);

/**
 * Core's chat surface over Slack. Each message id is posted at most once: the first delivery records
 * where it landed, a redelivery (the queue retried, the watchdog ran twice) finds the record and posts
 * nothing; a concurrent one finds the claim and is told to retry later.
 */
export function createSlackSurface(options: SlackSurfaceOptions): ChatSurface {
  const { web, store, links } = options;

  async function channelOf(message: ChatMessage): Promise<Result<string, DeliveryIssue>> {
    if (message.to.kind === 'channel') return ok(message.to.channel);
    const user = await links.slackUserOf(message.to.accountId);
    if (user === undefined)
      return failed({
        code: 'chat.unlinked',
        path: ['to', 'accountId'],
        message: `${message.to.accountId} has no linked Slack user`,
      });
    const opened = await callSlack('conversations.open', () => web.conversations.open({ users: user }), options);
    if (!opened.ok) return failed(opened.issue);
    const id = opened.value.channel?.id;
    return id === undefined
      ? failed({ code: 'chat.rejected', path: ['conversations.open'], message: 'no channel id' })
      : ok(id);
  }

  async function post(message: ChatMessage): Promise<Result<ChatDelivery, DeliveryIssue>> {
    const channel = await channelOf(message);
    if (!channel.ok) return channel;
    const posted = await callSlack(
      'chat.postMessage',
      () =>
        web.chat.postMessage({
          channel: channel.value,
          text: fallbackText(message),
          blocks: blocksFor(message),
          unfurl_links: false,
        }),
      options,
    );
    if (!posted.ok) return failed(posted.issue);
    const delivery: ChatDelivery = {
      messageId: message.id,
      surface: SURFACE,
      ref: `${posted.value.channel}/${posted.value.ts}`,
      repeated: false,
    };
    await store.set(deliveryKey(message.id), delivery.ref);
    return ok(delivery);
  }

  return {
    surface: SURFACE,

    async deliver(input) {
      const parsed = ChatMessageSchema.safeParse(input);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return failed({
          code: 'chat.rejected',
          path: first?.path.map(String) ?? [],
          message: first?.message ?? 'invalid message',
        });
      }
      const message = parsed.data;
      const done = await store.get(deliveryKey(message.id));
      if (done !== undefined) return ok({ messageId: message.id, surface: SURFACE, ref: done, repeated: true });
      if (!(await store.setIfAbsent(claimKey(message.id), '1', CLAIM_MS)))
        return failed({
          code: 'chat.retryLater',
          path: ['id'],
          message: `${message.id} is being delivered`,
          retryAfterMs: CLAIM_MS,
        });
      try {
        return await post(message);
      } finally {
        await store.delete(claimKey(message.id));
      }
    },

    async settle(delivery, text) {
      const [channel, ts] = delivery.ref.split('/');
      if (channel === undefined || ts === undefined)
        return failed({
          code: 'chat.rejected',
          path: ['ref'],
          message: `not a Slack message reference: ${delivery.ref}`,
        });
      const updated = await callSlack(
        'chat.update',
        () => web.chat.update({ channel, ts, text, blocks: settledBlocks(text) }),
        options,
      );
      return updated.ok ? ok({ ...delivery, repeated: false }) : failed(updated.issue);
    },

    async tell(delivery, userId, text) {
      const [channel] = delivery.ref.split('/');
      if (channel === undefined || channel === '')
        return failed({
          code: 'chat.rejected',
          path: ['ref'],
          message: `not a Slack message reference: ${delivery.ref}`,
        });
      const shown = await callSlack(
        'chat.postEphemeral',
        () => web.chat.postEphemeral({ channel, user: userId, text }),
        options,
      );
      return shown.ok ? ok({ ...delivery, repeated: false }) : failed(shown.issue);
    },
  };
}
