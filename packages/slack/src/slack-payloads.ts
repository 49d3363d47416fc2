import * as z from 'zod';

/**
 * The parts of Slack's requests Baton reads, parsed with zod (anything else in them is ignored).
 * block_actions: https://docs.slack.dev/reference/interaction-payloads/block_actions-payload;
 * Events API: https://docs.slack.dev/apis/events-api/.
 */
const StateValueSchema = z.object({
  type: z.string(),
  value: z.string().nullable().optional(),
  selected_option: z.object({ value: z.string() }).nullable().optional(),
});

export const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1), team_id: z.string().optional() }),
  team: z.object({ id: z.string().min(1) }).nullable(),
  api_app_id: z.string(),
  actions: z
    .array(
      z.object({ action_id: z.string(), block_id: z.string(), value: z.string().optional(), action_ts: z.string() }),
    )
    .min(1),
  state: z.object({ values: z.record(z.string(), z.record(z.string(), StateValueSchema)) }).optional(),
  container: z.object({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional() }),
});
export type BlockActions = z.infer<typeof BlockActionsSchema>;

export const UrlVerificationSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().max(1000) });

export const EventCallbackSchema = z.object({
  type: z.literal('event_callback'),
  team_id: z.string(),
  api_app_id: z.string(),
  event_id: z.string().min(1),
  event: z.looseObject({ type: z.string() }),
});

/** A person's direct message to the bot (how a one-time link code arrives). */
export const DirectMessageEventSchema = z.object({
  type: z.literal('message'),
  channel_type: z.literal('im'),
  user: z.string().min(1),
  text: z.string(),
  subtype: z.undefined().optional(),
  bot_id: z.undefined().optional(),
});

/** The values a person entered in a message's inputs, by `action_id`. */
export function stateInputs(payload: BlockActions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of Object.values(payload.state?.values ?? {}))
    for (const [actionId, v] of Object.entries(block)) {
      const value = v.selected_option?.value ?? v.value ?? undefined;
      if (value !== undefined && value !== null) out[actionId] = value;
    }
  return out;
}
