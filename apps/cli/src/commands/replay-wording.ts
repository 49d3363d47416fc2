import { type Action, type Decision } from '@baton/core';
import { assist, DraftUpdateAnswerSchema, type LanguageModel } from '@baton/core/llm';

/** How one example decision's message reads on the replay page, and who wrote it. */
export interface Worded {
  readonly text: string;
  /** `model` when the model's answer passed the guard rails, else the rules' text. */
  readonly source: 'model' | 'rules';
  readonly model?: string;
  /** Why the model's answer was not used (issue codes), when one was asked. */
  readonly fallback?: readonly string[];
}

/** What the wording stage did, for summary.json. */
export interface WordingSummary {
  readonly model: string | null;
  /** Example decisions with a message to word. */
  readonly messages: number;
  readonly worded: number;
  readonly fellBack: number;
  /** Fallbacks by issue code (a call can fail for more than one reason). */
  readonly reasons: Readonly<Record<string, number>>;
}

/** The text an action carries (a comment's body, a nudge's message), read by field, not by kind. */
function textOf(action: Action): string | null {
  if ('body' in action && typeof action.body === 'string') return action.body;
  if ('message' in action && typeof action.message === 'string') return action.message;
  return null;
}

/**
 * Words the messages of the example decisions shown on the replay page. Runs after every decision
 * is made and written: the model sees a decision's own text and facts as quoted data and may only
 * reword it (the guard rails drop names and links the evidence lacks); an unusable answer leaves
 * the rules' text and is counted. Nothing here can change a decision.
 */
export async function wordExamples(
  model: LanguageModel | undefined,
  examples: readonly Decision[],
): Promise<{ readonly worded: ReadonlyMap<string, Worded>; readonly summary: WordingSummary }> {
  const worded = new Map<string, Worded>();
  const reasons: Record<string, number> = {};
  let messages = 0;
  let byModel = 0;
  let fellBack = 0;
  for (const d of examples) {
    const template = d.actions.map(textOf).find((t) => t !== null);
    if (template === undefined || template === null) continue;
    messages++;
    const answer = await assist(
      model,
      {
        purpose: 'draft-update',
        instructions:
          `Reword the message Baton drafted for case ${d.caseId} (${d.rule}) so that its reader understands it at once. ` +
          'Keep every fact, name, date and number it states; add none. Put the message in body and a short subject in subject.',
        evidence: [
          { id: 'draft', source: 'draft', text: template },
          ...d.evidence.map((e, i) => ({
            id: `fact-${i + 1}`,
            source: e.source,
            text: `${e.label}: ${String(e.value)}`,
          })),
        ],
        schema: DraftUpdateAnswerSchema,
        maxOutputTokens: 400,
      },
      () => ({ subject: `${d.caseId}: ${d.rule}`, body: template }),
    );
    if (answer.source === 'model') {
      byModel++;
      worded.set(d.id, { text: answer.value.body, source: 'model', model: answer.model });
    } else if (answer.fallback) {
      fellBack++;
      const codes = [...new Set(answer.reason.map((r) => r.code))];
      for (const c of codes) reasons[c] = (reasons[c] ?? 0) + 1;
      worded.set(d.id, { text: template, source: 'rules', fallback: codes });
    } else {
      worded.set(d.id, { text: template, source: 'rules' });
    }
  }
  return { worded, summary: { model: model?.name ?? null, messages, worded: byModel, fellBack, reasons } };
}

/** A one-line label for the page: who wrote the text. */
export function wordedBy(w: Worded): string {
  if (w.source === 'model') return `worded by ${w.model ?? 'the model'}`;
  return w.fallback === undefined ? 'rules' : `rules (the model's answer was not used: ${w.fallback.join(', ')})`;
}
