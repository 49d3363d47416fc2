import * as z from 'zod';

/**
 * The answer shapes for each purpose. Text fields only: no field can carry an action, a recipient
 * or a permission, so a model that obeys an injected instruction still has nowhere to put it.
 * Every object is closed and every key required (OpenAI strict structured outputs accept these as is).
 */

/** `summarise-packet`: the handoff packet's prose summary. */
export const PacketSummaryAnswerSchema = z
  .object({
    summary: z.string().min(1).max(1200),
    /** Evidence ids the summary leans on, for the reader to check. */
    evidenceIds: z.array(z.string()).max(20),
  })
  .strict();
export type PacketSummaryAnswer = z.infer<typeof PacketSummaryAnswerSchema>;

/** `draft-update`: wording for one audience. Who receives it is decided by rules, not here. */
export const DraftUpdateAnswerSchema = z
  .object({
    subject: z.string().min(1).max(200),
    body: z.string().min(1).max(4000),
  })
  .strict();
export type DraftUpdateAnswer = z.infer<typeof DraftUpdateAnswerSchema>;

/** `extract-decisions`: decisions and open questions found in comments/emails, each citing its evidence. */
export const ExtractedItemsAnswerSchema = z
  .object({
    decisions: z.array(z.object({ text: z.string().min(1).max(500), evidenceId: z.string() }).strict()).max(30),
    questions: z.array(z.object({ text: z.string().min(1).max(500), evidenceId: z.string() }).strict()).max(30),
  })
  .strict();
export type ExtractedItemsAnswer = z.infer<typeof ExtractedItemsAnswerSchema>;

/**
 * `classify-intent`: a label from a closed list with a confidence. The caller builds the schema
 * from its own labels, so a model cannot invent a category.
 */
export function intentAnswerSchema<const L extends readonly [string, ...string[]]>(labels: L) {
  return z
    .object({
      label: z.enum(labels),
      confidence: z.number().min(0).max(1),
      rationale: z.string().max(300),
    })
    .strict();
}
export type IntentAnswer<L extends string> = { label: L; confidence: number; rationale: string };
