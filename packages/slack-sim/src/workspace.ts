import * as z from 'zod';

/** A user of the simulated workspace, as `users.info` returns it (the fields Baton reads). */
export const SimSlackUserSchema = z.object({
  id: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'expected a Slack user id like U0G9QF9C6'),
  name: z.string().min(1),
  realName: z.string().default(''),
  email: z.email().nullable().default(null),
  isBot: z.boolean().default(false),
  deleted: z.boolean().default(false),
  tz: z.string().default('UTC'),
});
export type SimSlackUser = z.output<typeof SimSlackUserSchema>;

export const SimChannelSchema = z.object({
  id: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expected a channel id like C024BE91L'),
  name: z.string().min(1),
  /** User ids in the channel; the app's bot must be one to post (`not_in_channel`). */
  members: z.array(z.string()).default([]),
  isArchived: z.boolean().default(false),
});
export type SimChannel = z.output<typeof SimChannelSchema>;

/** The workspace the sim pretends to be: its people, channels, the app's bot and the tokens it accepts. */
export const SimWorkspaceSchema = z.object({
  teamId: z.string().regex(/^T[A-Z0-9]{2,}$/),
  domain: z.string().min(1),
  apiAppId: z.string().regex(/^A[A-Z0-9]{2,}$/),
  /** The app's bot user (posts as it; `cannot_dm_bot` when asked to DM a bot). */
  botUserId: z.string(),
  botId: z.string().regex(/^B[A-Z0-9]{2,}$/),
  users: z.array(SimSlackUserSchema),
  channels: z.array(SimChannelSchema).default([]),
  /** Bot token → the scopes it was granted (`missing_scope` names the one a method needs). */
  tokens: z.record(z.string(), z.array(z.string())),
});
export type SimWorkspace = z.output<typeof SimWorkspaceSchema>;
export type SimWorkspaceInput = z.input<typeof SimWorkspaceSchema>;

/** A message as Slack keeps it (what `chat.postMessage` returns in `message`). */
export interface SimMessage {
  readonly channel: string;
  readonly ts: string;
  text: string;
  blocks: unknown[] | undefined;
  readonly user: string;
  readonly botId: string;
  edited: boolean;
}

/** A small workspace for tests: three people, a bot, a team channel the bot is in and one it is not. */
export function sampleWorkspace(): SimWorkspaceInput {
  return {
    teamId: 'T0BATON01',
    domain: 'baton-test',
    apiAppId: 'A0BATON01',
    botUserId: 'U0BOT0001',
    botId: 'B0BATON01',
    users: [
      { id: 'U0BOT0001', name: 'baton', realName: 'Baton', isBot: true },
      { id: 'U0ANA0001', name: 'ana', realName: 'Ana Ortiz', email: 'ana@example.com', tz: 'Europe/Madrid' },
      { id: 'U0LEE0001', name: 'lee', realName: 'Lee Park', email: 'lee@example.com' },
      { id: 'U0RITA001', name: 'rita', realName: 'Rita Reporter', email: 'rita@customer.example' },
      { id: 'U0GONE001', name: 'gone', realName: 'Former Colleague', email: 'gone@example.com', deleted: true },
    ],
    channels: [
      { id: 'C0OPS0001', name: 'support-ops', members: ['U0BOT0001', 'U0ANA0001', 'U0LEE0001'] },
      { id: 'C0RANDOM1', name: 'random', members: ['U0ANA0001'] },
      { id: 'C0OLD0001', name: 'old-team', members: ['U0BOT0001'], isArchived: true },
    ],
    tokens: {
      'xoxb-test-bot': ['chat:write', 'im:write', 'users:read', 'users:read.email'],
      'xoxb-no-email': ['chat:write', 'im:write', 'users:read'],
    },
  };
}
