import { kvs } from '@forge/kvs';
import type { ChatAnswer } from '@baton/core';
import { createKeyValueLinkStore, createSlackInbound, type KeyValuePort } from '@baton/slack';
import { createAccountLinker } from '@baton/slack';
import { randomBytes } from 'node:crypto';
import { safeKey } from '../platform/baton-storage.ts';

/**
 * Baton's Slack edition: Slack's Request URL for interactivity and events is a Forge `webtrigger`
 * (`slack-requests`, dynamic response), and the Web API host is the edition manifest's only backend
 * egress (`SLACK_EGRESS`). The bot token and signing secret live in Forge secret storage (`kvs.setSecret`),
 * never in a response. docs/adr/0019-chat-port-and-slack-edition.md.
 */
export const SLACK_EGRESS = ['https://slack.com'] as const;
export const SLACK_WEBTRIGGER = {
  key: 'slack-requests',
  function: 'slack-requests-handler',
  handler: 'index.slackRequests',
} as const;
export const SLACK_SECRETS = { botToken: 'slack:botToken', signingSecret: 'slack:signingSecret' } as const;

/** The KVS behind the Slack adapter's port: Forge's key rules (`safeKey`), TTLs in seconds, FAIL_IF_EXISTS for claims. */
export function createKvsKeyValue(): KeyValuePort {
  const key = (k: string) => safeKey('slack:', k);
  const ttl = (ms?: number) =>
    ms === undefined ? {} : { ttl: { value: Math.max(1, Math.ceil(ms / 1000)), unit: 'SECONDS' as const } };
  return {
    get: async (k) => {
      const v = await kvs.get<string>(key(k));
      return typeof v === 'string' ? v : undefined;
    },
    set: async (k, value, ms) => kvs.set(key(k), value, ttl(ms)),
    setIfAbsent: async (k, value, ms) => {
      try {
        await kvs.set(key(k), value, { keyPolicy: 'FAIL_IF_EXISTS', ...ttl(ms) });
        return true;
      } catch (e) {
        // Whatever the error's code, the key's existence decides (as the app's effect ledger does).
        if ((await kvs.get(key(k))) !== undefined) return false;
        throw e;
      }
    },
    delete: async (k) => kvs.delete(key(k)),
  };
}

/** Forge's web trigger request (https://developer.atlassian.com/platform/forge/events-reference/web-trigger/). */
export interface WebTriggerRequest {
  readonly method: string;
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly body?: string;
}
export interface WebTriggerResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

const respond = (
  statusCode: number,
  headers: Readonly<Record<string, string>> = {},
  body = '',
): WebTriggerResponse => ({
  statusCode,
  headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
  body,
});

/** Answers waiting for the app to plan and carry out (core's `planAnswer`), by message id. */
export const pendingAnswerKey = (messageId: string): string => `pending:${messageId}`;

/**
 * Slack's requests: verified (signature, five minutes, replay), acknowledged at once. A DM carrying a link
 * code links its sender here (KVS only: well inside Slack's three seconds); an answer is kept for the app.
 */
export async function slackRequests(request: WebTriggerRequest): Promise<WebTriggerResponse> {
  if (request.method !== 'POST') return respond(405);
  const signingSecret = await kvs.getSecret<string>(SLACK_SECRETS.signingSecret);
  if (typeof signingSecret !== 'string' || signingSecret === '') return respond(503, { 'x-slack-no-retry': '1' });
  const store = createKvsKeyValue();
  const links = createKeyValueLinkStore(store);
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v[0]]));
  const outcome = await createSlackInbound({ signingSecret, store, links, now: Date.now }).receive({
    headers,
    body: request.body ?? '',
  });
  if (outcome.kind === 'answer') await keepAnswer(store, outcome.answer);
  if (outcome.kind === 'said' && outcome.by.accountId === null)
    await createAccountLinker({ links, store, now: Date.now, sleep: async () => {}, randomBytes }).redeem(
      outcome.by.userId,
      outcome.text,
    );
  return respond(outcome.reply.status, outcome.reply.headers, outcome.reply.body);
}

async function keepAnswer(store: KeyValuePort, answer: ChatAnswer): Promise<void> {
  await store.set(pendingAnswerKey(answer.messageId), JSON.stringify(answer));
}
