import { kvs, WhereConditions } from '@forge/kvs';
import { ChatMessageSchema, fail, ok, type ChatAnswer } from '@baton/core';
import { DEFAULT_RETRY_POLICY } from '@baton/jira';
import {
  createAccountLinker,
  createKeyValueLinkStore,
  createSlackInbound,
  createSlackSurface,
  callSlack,
  createSlackWebClient,
  reopenAnswers,
  type KeyValuePort,
  type LinkIssueCode,
  type LinkStore,
} from '@baton/slack';
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { ChatAdmin, ChatConnector } from '../ports/chat.ts';
import { ChatSettingsSchema, NO_CHAT_LINK, type ChatSettings, type ChatStatus } from '../contracts/chat-settings.ts';
import { QUERY_PAGE, safeKey } from '../platform/baton-storage.ts';
import { createWorkQueue } from '../platform/work-queue.ts';

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

/** The link store's Slack-side keys (`link:slack:<user>` → account), as stored under the edition's prefix. */
const LINK_PREFIX = safeKey('slack:', 'link:slack:');
/** The admin page lists at most this many links. */
const LINKS_SHOWN = 500;

const isSet = async (key: string) => {
  const v = await kvs.getSecret<string>(key);
  return { set: typeof v === 'string' && v !== '' };
};

/**
 * The admin page's side of the Slack edition. The bot token and signing secret are written to Forge's
 * secret store and never read back out: the status says only whether each is set.
 */
export const chatAdmin: ChatAdmin = {
  async status(): Promise<ChatStatus> {
    const links: ChatStatus['links'] = [];
    let cursor: string | undefined;
    do {
      let q = kvs.query().where('key', WhereConditions.beginsWith(LINK_PREFIX)).limit(QUERY_PAGE);
      if (cursor !== undefined) q = q.cursor(cursor);
      const page = await q.getMany<string>();
      for (const r of page.results)
        if (typeof r.value === 'string') links.push({ accountId: r.value, userId: r.key.slice(LINK_PREFIX.length) });
      cursor = page.nextCursor;
    } while (cursor !== undefined && links.length < LINKS_SHOWN);
    return {
      surface: 'slack',
      botToken: await isSet(SLACK_SECRETS.botToken),
      signingSecret: await isSet(SLACK_SECRETS.signingSecret),
      settings: await readChatSettings(),
      links: links.slice(0, LINKS_SHOWN),
    };
  },
  async saveSettings(settings) {
    await kvs.set(CHAT_SETTINGS_KEY, ChatSettingsSchema.parse(settings));
  },
  async linkByEmail(accountId, email) {
    const token = await kvs.getSecret<string>(SLACK_SECRETS.botToken);
    if (typeof token !== 'string' || token === '') return { linked: false, why: 'store the bot token first' };
    const store = createKvsKeyValue();
    const linked = await createAccountLinker({
      web: createSlackWebClient(token, { fetch: globalThis.fetch }),
      links: createKeyValueLinkStore(store),
      store,
      now: Date.now,
      sleep: async () => {},
      maxWaitMs: 0,
      randomBytes,
    }).byEmail(accountId, email);
    return linked.ok
      ? { linked: true }
      : { linked: false, why: `${linked.issues[0]?.message ?? 'not linked'}: they can send the bot a one-time code` };
  },
  async linkOf(accountId, issueCode) {
    const token = await kvs.getSecret<string>(SLACK_SECRETS.botToken);
    if (typeof token !== 'string' || token === '') return NO_CHAT_LINK;
    const store = createKvsKeyValue();
    const links = createKeyValueLinkStore(store);
    if ((await links.slackUserOf(accountId)) !== undefined)
      return { surface: 'slack', linked: true, code: null, expiresAt: null };
    if (!issueCode) return { surface: 'slack', linked: false, code: null, expiresAt: null };
    const linker = createAccountLinker({ links, store, now: Date.now, sleep: async () => {}, randomBytes });
    const { code, expiresAt } = await linker.issueCode(accountId);
    return { surface: 'slack', linked: false, code, expiresAt };
  },
  async setSecrets(secrets) {
    if (secrets.botToken !== undefined) await kvs.setSecret(SLACK_SECRETS.botToken, secrets.botToken);
    if (secrets.signingSecret !== undefined) await kvs.setSecret(SLACK_SECRETS.signingSecret, secrets.signingSecret);
  },
};

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

/** The admin's chat settings: their own record, apart from the charter. */
export const CHAT_SETTINGS_KEY = 'chat-settings';
/** A delivered message kept for planning the answers to it, with where it landed. */
const sentKey = (messageId: string): string => `sent:${messageId}`;
const SentSchema = z.object({
  message: ChatMessageSchema,
  delivery: z.object({ messageId: z.string(), surface: z.string(), ref: z.string(), repeated: z.boolean() }),
});
/** How long a call waits out Slack's `Retry-After` before handing the wait to the queue (`chat.retryLater`). */
const PATIENCE_MS = 10_000;

export async function readChatSettings(): Promise<ChatSettings> {
  return ChatSettingsSchema.parse((await kvs.get(CHAT_SETTINGS_KEY)) ?? {});
}

/**
 * The app's chat in this edition: Slack's Web API at `slack.com` through Forge's `fetch` (the only
 * egress the edition declares), with the bot token from Forge's secret store; none until an admin
 * stored a token. `slackApiUrl` is Slack's own; tests route that host to slack-sim.
 */
export const chat: ChatConnector = async () => {
  const token = await kvs.getSecret<string>(SLACK_SECRETS.botToken);
  if (typeof token !== 'string' || token === '') return undefined;
  const store = createKvsKeyValue();
  const links = createKeyValueLinkStore(store);
  const web = createSlackWebClient(token, { fetch: globalThis.fetch });
  // The Jira client's sleep: one way to wait inside an invocation, which the Forge harness charges to its time.
  const sleep = (ms: number) => DEFAULT_RETRY_POLICY.sleep(ms);
  const surface = createSlackSurface({ web, store, links, sleep, maxWaitMs: PATIENCE_MS });
  return {
    surface,
    settings: await readChatSettings(),
    isLinked: async (accountId) => (await links.slackUserOf(accountId)) !== undefined,
    remember: async (message, delivery) => store.set(sentKey(message.id), JSON.stringify({ message, delivery })),
    recall: async (messageId) => {
      const raw = await store.get(sentKey(messageId));
      return raw === undefined ? undefined : SentSchema.parse(JSON.parse(raw));
    },
    reopen: (messageId) => reopenAnswers(store, messageId),
    hold: (key, ttlMs) => store.setIfAbsent(`hold:${key}`, '1', ttlMs),
    release: (key) => store.delete(`hold:${key}`),
    say: async (userId, text) => {
      const backoff = { sleep, maxWaitMs: PATIENCE_MS };
      const opened = await callSlack('conversations.open', () => web.conversations.open({ users: userId }), backoff);
      const channel = opened.ok ? opened.value.channel?.id : undefined;
      if (!opened.ok) return fail(opened.issue);
      if (channel === undefined)
        return fail({ code: 'chat.rejected' as const, path: ['conversations.open'], message: 'no channel id' });
      const posted = await callSlack('chat.postMessage', () => web.chat.postMessage({ channel, text }), backoff);
      if (!posted.ok) return fail(posted.issue);
      return ok({
        messageId: `say:${userId}`,
        surface: 'slack',
        ref: `${channel}/${posted.value.ts}`,
        repeated: false,
      });
    },
  };
};

/**
 * Slack's requests: verified (signature, five minutes, replay), acknowledged at once. A DM carrying a link
 * code links its sender here (KVS only: well inside Slack's three seconds); an answer goes on the
 * `baton-work` queue, where the app carries it out after the acknowledgement (`answerFromChat`).
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
  if (outcome.kind === 'answer') await queueAnswer(outcome.answer);
  if (outcome.kind === 'said')
    await answerDirectMessage(outcome.by, outcome.text, { links, store, eventId: eventIdOf(request.body) });
  return respond(outcome.reply.status, outcome.reply.headers, outcome.reply.body);
}

/** The Events API envelope's `event_id` (the adapter verified and parsed the body already). */
function eventIdOf(body: string | undefined): string {
  try {
    const id = (JSON.parse(body ?? '{}') as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : 'no-event-id';
  } catch {
    return 'no-event-id';
  }
}

/** What Baton answers a direct message with, by what became of the link code in it. */
const LINK_REPLY: Readonly<Record<LinkIssueCode, string>> = {
  'link.noCode':
    'Hi! To link your Slack account to Jira, open any issue in Jira, choose "Get a link code" in the Baton panel, and send me the code.',
  'link.codeUnknown': 'That code is unknown, used or expired: get a fresh one from the Baton panel in any Jira issue.',
  'link.tooManyAttempts': 'Too many link attempts this hour: please wait a little and try again with a fresh code.',
  'link.needsCode': 'Send me the code from the Baton panel in any Jira issue.',
};

/**
 * A person wrote to Baton directly: a link code links them (KVS only, well inside Slack's three seconds), and the
 * answer (linked, or what to do) is queued to be said after the acknowledgement. An already linked person's
 * words are not a code: they are told they are linked.
 */
async function answerDirectMessage(
  by: { userId: string; accountId: string | null },
  text: string,
  ports: { links: LinkStore; store: KeyValuePort; eventId: string },
): Promise<void> {
  let reply: string;
  if (by.accountId !== null) reply = 'Your Slack account is already linked to your Jira account.';
  else {
    const linker = createAccountLinker({ ...ports, now: Date.now, sleep: async () => {}, randomBytes });
    const redeemed = await linker.redeem(by.userId, text);
    reply = redeemed.ok
      ? "Linked: Baton's nudges, questions and approvals for your Jira account now reach you here."
      : LINK_REPLY[redeemed.issues[0]?.code ?? 'link.noCode'];
  }
  await createWorkQueue().push([{ kind: 'chat-say', id: `dm:${ports.eventId}`, userId: by.userId, text: reply }]);
}

async function queueAnswer(answer: ChatAnswer): Promise<void> {
  await createWorkQueue().push([{ kind: 'chat-answer', answer }]);
}
