import { blockErrors } from './block-kit.ts';
import type { SimChannel, SimMessage, SimSlackUser, SimWorkspace } from './workspace.ts';

/** A method's answer: Slack answers HTTP 200 with `ok: false` for every error but rate limiting. */
export type MethodResult =
  | { readonly ok: true; readonly [k: string]: unknown }
  | { readonly ok: false; readonly error: string; readonly [k: string]: unknown };

export interface MethodContext {
  readonly params: Readonly<Record<string, unknown>>;
  readonly scopes: readonly string[];
  readonly now: number;
}

/** The scope each method needs (https://docs.slack.dev/reference/scopes). */
export const METHOD_SCOPES: Readonly<Record<string, string | null>> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'conversations.open': 'im:write',
  'users.lookupByEmail': 'users:read.email',
  'users.info': 'users:read',
  'auth.test': null,
};

/** chat.postMessage: "truncates text after 40,000 characters"; the sim refuses it (`msg_too_long`). */
export const MAX_TEXT = 40_000;

const err = (error: string, extra: Record<string, unknown> = {}): MethodResult => ({ ok: false, error, ...extra });

/** The sim's workspace state: channels (with the DMs opened so far) and every message posted. */
export class SlackSimStore {
  readonly users = new Map<string, SimSlackUser>();
  readonly channels = new Map<string, SimChannel & { readonly im?: string }>();
  readonly messages = new Map<string, SimMessage>();
  /** Ephemeral messages: shown to one user, never stored in the channel's history (nor readable back through the API). */
  readonly ephemerals: { channel: string; user: string; text: string; ts: string }[] = [];
  private tsCounter = 0;
  private imCounter = 0;

  constructor(readonly workspace: SimWorkspace) {
    for (const u of workspace.users) this.users.set(u.id, u);
    for (const c of workspace.channels) this.channels.set(c.id, { ...c, members: [...c.members] });
  }

  /** Messages in a channel, oldest first. */
  messagesIn(channel: string): SimMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel);
  }

  /** The DM channel between the bot and `user`, if one was opened. */
  imWith(user: string): string | undefined {
    return [...this.channels.values()].find((c) => c.im === user)?.id;
  }

  nextTs(now: number): string {
    this.tsCounter += 1;
    return `${Math.floor(now / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  openIm(user: string): { id: string; existed: boolean } {
    const existing = this.imWith(user);
    if (existing !== undefined) return { id: existing, existed: true };
    this.imCounter += 1;
    const id = `D0IM${String(this.imCounter).padStart(5, '0')}`;
    this.channels.set(id, { id, name: id, members: [this.workspace.botUserId, user], isArchived: false, im: user });
    return { id, existed: false };
  }
}

function userJson(u: SimSlackUser, store: SlackSimStore, withEmail: boolean): Record<string, unknown> {
  return {
    id: u.id,
    team_id: store.workspace.teamId,
    name: u.name,
    deleted: u.deleted,
    real_name: u.realName,
    tz: u.tz,
    is_bot: u.isBot,
    profile: {
      real_name: u.realName,
      display_name: u.name,
      ...(withEmail && u.email !== null ? { email: u.email } : {}),
    },
  };
}

function messageJson(m: SimMessage, store: SlackSimStore): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: m.text,
    user: m.user,
    bot_id: m.botId,
    ts: m.ts,
    team: store.workspace.teamId,
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
    ...(m.edited ? { edited: { user: m.user, ts: m.ts } } : {}),
  };
}

/** `blocks` arrive as a JSON string in a form body, as an array in a JSON body. */
function readBlocks(raw: unknown): { blocks?: unknown[]; error?: MethodResult } {
  if (raw === undefined || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: err('invalid_blocks_format') };
    }
  }
  if (!Array.isArray(value)) return { error: err('invalid_blocks_format') };
  const errors = blockErrors(value);
  if (errors.length > 0)
    return {
      error: err('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }),
    };
  const blocks = value.map((b: Record<string, unknown>, i) => ({ block_id: `sim${i}`, ...b }));
  return { blocks };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A message's content checks, shared by posting and updating (https://docs.slack.dev/reference/methods/chat.postMessage#errors). */
function content(params: Readonly<Record<string, unknown>>): { text: string; blocks?: unknown[] } | MethodResult {
  const text = typeof params.text === 'string' ? params.text : '';
  const { blocks, error } = readBlocks(params.blocks);
  if (error) return error;
  if (text === '' && (blocks === undefined || blocks.length === 0)) return err('no_text');
  if (text.length > MAX_TEXT) return err('msg_too_long');
  return blocks === undefined ? { text } : { text, blocks };
}

type Handler = (store: SlackSimStore, ctx: MethodContext) => MethodResult;

export const METHODS: Readonly<Record<string, Handler>> = {
  'auth.test': (store) => ({
    ok: true,
    url: `https://${store.workspace.domain}.slack.com/`,
    team: store.workspace.domain,
    team_id: store.workspace.teamId,
    user_id: store.workspace.botUserId,
    bot_id: store.workspace.botId,
  }),

  'chat.postMessage': (store, { params, now }) => {
    const channelId = str(params.channel);
    const channel = channelId === undefined ? undefined : store.channels.get(channelId);
    if (channel === undefined) return err('channel_not_found');
    if (channel.isArchived) return err('is_archived');
    if (!channel.members.includes(store.workspace.botUserId)) return err('not_in_channel');
    const c = content(params);
    if ('ok' in c) return c;
    const ts = store.nextTs(now);
    const message: SimMessage = {
      channel: channel.id,
      ts,
      text: c.text,
      blocks: c.blocks,
      user: store.workspace.botUserId,
      botId: store.workspace.botId,
      edited: false,
    };
    store.messages.set(`${channel.id}:${ts}`, message);
    return { ok: true, channel: channel.id, ts, message: messageJson(message, store) };
  },

  // https://docs.slack.dev/reference/methods/chat.postEphemeral: the recipient must be in the channel
  // (`user_not_in_channel`); the answer carries `message_ts` only, the message is not kept in history.
  'chat.postEphemeral': (store, { params, now }) => {
    const channelId = str(params.channel);
    const channel = channelId === undefined ? undefined : store.channels.get(channelId);
    if (channel === undefined) return err('channel_not_found');
    if (channel.isArchived) return err('is_archived');
    const user = str(params.user);
    if (user === undefined || !store.users.has(user)) return err('user_not_found');
    if (!channel.members.includes(user)) return err('user_not_in_channel');
    const c = content(params);
    if ('ok' in c) return c;
    const ts = store.nextTs(now);
    store.ephemerals.push({ channel: channel.id, user, text: c.text, ts });
    return { ok: true, message_ts: ts };
  },

  'chat.update': (store, { params }) => {
    const channelId = str(params.channel);
    if (channelId === undefined || !store.channels.has(channelId)) return err('channel_not_found');
    const ts = str(params.ts);
    const message = ts === undefined ? undefined : store.messages.get(`${channelId}:${ts}`);
    if (message === undefined) return err('message_not_found');
    if (message.user !== store.workspace.botUserId) return err('cant_update_message');
    const c = content(params);
    if ('ok' in c) return c;
    message.text = c.text;
    message.blocks = c.blocks;
    message.edited = true;
    return { ok: true, channel: channelId, ts: message.ts, text: message.text, message: messageJson(message, store) };
  },

  'conversations.open': (store, { params }) => {
    const users = str(params.users)
      ?.split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    if (str(params.channel) === undefined && (users === undefined || users.length === 0))
      return err('users_list_not_supplied');
    // Slack opens group DMs for 2–8 users; Baton only opens one-to-one DMs, and the sim says so rather than pretend.
    if (users === undefined || users.length !== 1) return err('sim_group_dm_unsupported');
    const user = store.users.get(users[0] as string);
    if (user === undefined) return err('user_not_found');
    if (user.deleted) return err('user_disabled');
    if (user.isBot) return err('cannot_dm_bot');
    const im = store.openIm(user.id);
    return im.existed
      ? { ok: true, no_op: true, already_open: true, channel: { id: im.id } }
      : { ok: true, channel: { id: im.id } };
  },

  'users.lookupByEmail': (store, { params }) => {
    const email = str(params.email)?.toLowerCase();
    const user = [...store.users.values()].find((u) => u.email !== null && u.email.toLowerCase() === email);
    if (user === undefined || user.isBot) return err('users_not_found');
    return { ok: true, user: userJson(user, store, true) };
  },

  'users.info': (store, { params, scopes }) => {
    const user = store.users.get(str(params.user) ?? '');
    if (user === undefined) return err('user_not_found');
    return { ok: true, user: userJson(user, store, scopes.includes('users:read.email')) };
  },
};
