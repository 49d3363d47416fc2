import * as z from 'zod';
import type { CHAT_MESSAGE_KINDS } from '@baton/core';

/**
 * What the admin chose for a connected chat workspace (the Slack edition), kept in its own stored record,
 * apart from the charter: which of Baton's messages go to chat (the rest stay Jira comments and the issue
 * panel), the channel for the daily report, who approves suggestions in chat, and from which UTC hour the
 * day's report is posted. No secret is part of it: the bot token and signing secret live in Forge's secret
 * store and are never returned.
 */
export const ChatDeliverSchema = z.object({
  nudge: z.boolean().default(false),
  question: z.boolean().default(false),
  approval: z.boolean().default(false),
  report: z.boolean().default(false),
  /** The concierge's internal updates, to the channel (beside the Jira comment, which stays the record). */
  update: z.boolean().default(false),
}) satisfies z.ZodType<Record<(typeof CHAT_MESSAGE_KINDS)[number], boolean>>;

/** A Slack conversation id: public `C…`, private `G…` (https://docs.slack.dev/reference/objects/conversation-object). */
export const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

export const ChatSettingsSchema = z.object({
  deliver: ChatDeliverSchema.default({ nudge: false, question: false, approval: false, report: false, update: false }),
  channel: z
    .string()
    .regex(SLACK_CHANNEL_ID, 'a Slack channel id such as C024BE91L (channel details → About)')
    .nullable()
    .default(null),
  /** The Jira account that is sent suggestions to approve or override in chat; null: the issue panel only. */
  approver: z.string().min(1).nullable().default(null),
  reportHourUtc: z.number().int().min(0).max(23).default(8),
});
export type ChatSettings = z.infer<typeof ChatSettingsSchema>;
export const DEFAULT_CHAT_SETTINGS: ChatSettings = ChatSettingsSchema.parse({});

/** Whether a secret is stored, and never the secret. */
export const SecretStatusSchema = z.object({ set: z.boolean() });

/**
 * What the admin page shows about chat: whether this build speaks in chat at all (`surface: null` in the
 * default edition), whether the bot token and signing secret are stored, the settings, and who is linked.
 */
export const ChatStatusSchema = z.object({
  surface: z.literal('slack').nullable(),
  botToken: SecretStatusSchema,
  signingSecret: SecretStatusSchema,
  settings: ChatSettingsSchema,
  links: z.array(z.object({ accountId: z.string(), userId: z.string() })).max(500),
});
export type ChatStatus = z.infer<typeof ChatStatusSchema>;

/**
 * What the issue panel shows the signed-in person about their own chat link: whether this build speaks in chat
 * (`surface: null` in the default edition, or before an admin stored the bot token), whether they are linked, and
 * a one-time code to send the bot (only when they asked for one and are not linked), with when it expires.
 */
export const ChatLinkSchema = z.object({
  surface: z.literal('slack').nullable(),
  linked: z.boolean(),
  code: z
    .string()
    .regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    .nullable(),
  expiresAt: z.number().int().nullable(),
});
export type ChatLink = z.infer<typeof ChatLinkSchema>;
export const NO_CHAT_LINK: ChatLink = { surface: null, linked: false, code: null, expiresAt: null };

/**
 * Slack's credentials, written once and never read back: a bot token (`xoxb-`,
 * https://docs.slack.dev/authentication/tokens) and the app's signing secret (hex).
 */
export const ChatSecretsSchema = z
  .object({
    botToken: z
      .string()
      .trim()
      .regex(/^xoxb-[A-Za-z0-9-]{8,250}$/, 'a Slack bot token starts with xoxb-')
      .optional(),
    signingSecret: z
      .string()
      .trim()
      .regex(/^[a-f0-9]{16,128}$/, "the signing secret is the hex string on the Slack app's Basic Information page")
      .optional(),
  })
  .refine((s) => s.botToken !== undefined || s.signingSecret !== undefined, {
    message: 'give a bot token, a signing secret, or both',
    path: ['botToken'],
  });
export type ChatSecrets = z.infer<typeof ChatSecretsSchema>;
