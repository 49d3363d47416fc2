import * as z from 'zod';

/**
 * Block Kit as Slack checks it when a message is posted, for the blocks and elements Baton uses. Limits
 * from the reference pages (https://docs.slack.dev/reference/block-kit/blocks,
 * https://docs.slack.dev/reference/block-kit/block-elements, https://docs.slack.dev/reference/block-kit/composition-objects):
 * at most 50 blocks per message; section text 3,000 characters, 10 fields of 2,000; header 150; actions
 * 25 elements; context 10; button text 75, value 2,000, `action_id` and `block_id` 255; select 100
 * options, option text 75 and value 150; placeholders 150; plain-text input `max_length` 3,000.
 * A block type the sim does not know is refused (stricter than Slack, which knows more).
 */
const plain = (max: number) =>
  z.object({ type: z.literal('plain_text'), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const text = (max: number) =>
  z.union([
    plain(max),
    z.object({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max), verbatim: z.boolean().optional() }),
  ]);
const actionId = z.string().min(1).max(255);
const option = z.object({ text: plain(75), value: z.string().min(1).max(150), description: plain(75).optional() });

const button = z.object({
  type: z.literal('button'),
  text: plain(75),
  action_id: actionId,
  value: z.string().max(2000).optional(),
  url: z.string().max(3000).optional(),
  style: z.enum(['primary', 'danger']).optional(),
});
const staticSelect = z.object({
  type: z.literal('static_select'),
  action_id: actionId,
  placeholder: plain(150).optional(),
  options: z.array(option).min(1).max(100),
  initial_option: option.optional(),
});
const plainTextInput = z.object({
  type: z.literal('plain_text_input'),
  action_id: actionId,
  placeholder: plain(150).optional(),
  multiline: z.boolean().optional(),
  min_length: z.number().int().min(0).max(3000).optional(),
  max_length: z.number().int().min(1).max(3000).optional(),
});
const image = z.object({ type: z.literal('image'), image_url: z.string().max(3000), alt_text: z.string().max(2000) });
const blockId = z.string().min(1).max(255).optional();

export const BlockSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('section'),
    block_id: blockId,
    text: text(3000).optional(),
    fields: z.array(text(2000)).max(10).optional(),
    accessory: z.union([button, staticSelect, image]).optional(),
  }),
  z.object({ type: z.literal('header'), block_id: blockId, text: plain(150) }),
  z.object({ type: z.literal('divider'), block_id: blockId }),
  z.object({
    type: z.literal('context'),
    block_id: blockId,
    elements: z
      .array(z.union([text(3000), image]))
      .min(1)
      .max(10),
  }),
  z.object({
    type: z.literal('actions'),
    block_id: blockId,
    elements: z
      .array(z.union([button, staticSelect]))
      .min(1)
      .max(25),
  }),
  z.object({
    type: z.literal('input'),
    block_id: blockId,
    label: plain(2000),
    element: z.union([plainTextInput, staticSelect]),
    hint: plain(2000).optional(),
    optional: z.boolean().optional(),
    dispatch_action: z.boolean().optional(),
  }),
]);
export type SimBlock = z.infer<typeof BlockSchema>;

export const MessageBlocksSchema = z.array(BlockSchema).max(50, 'no more than 50 items allowed');

/** Slack's `invalid_blocks` messages: what is wrong and where, as a JSON pointer. */
export function blockErrors(blocks: unknown): string[] {
  const parsed = MessageBlocksSchema.safeParse(blocks);
  const errors = parsed.success
    ? []
    : parsed.error.issues.map(
        (i) => `${i.message} [json-pointer:/blocks${i.path.map((p) => `/${String(p)}`).join('')}]`,
      );
  if (parsed.success) {
    const seen = new Set<string>();
    parsed.data.forEach((b, i) => {
      if (b.block_id === undefined) return;
      if (seen.has(b.block_id))
        errors.push(`block_id must be unique within a message [json-pointer:/blocks/${i}/block_id]`);
      seen.add(b.block_id);
    });
  }
  return errors;
}

/** The interactive elements of a posted message, by block and action id (what a person can click or fill). */
export function interactiveElements(
  blocks: readonly unknown[],
): { blockId: string; element: Record<string, unknown> }[] {
  const out: { blockId: string; element: Record<string, unknown> }[] = [];
  for (const raw of blocks) {
    const b = raw as { type: string; block_id?: string; elements?: unknown[]; element?: unknown; accessory?: unknown };
    const id = b.block_id ?? '';
    if (b.type === 'actions')
      for (const e of b.elements ?? []) out.push({ blockId: id, element: e as Record<string, unknown> });
    if (b.type === 'input' && b.element) out.push({ blockId: id, element: b.element as Record<string, unknown> });
    if (b.type === 'section' && b.accessory) out.push({ blockId: id, element: b.accessory as Record<string, unknown> });
  }
  return out;
}
