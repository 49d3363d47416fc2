import type { LanguageModel, LanguageModelRequest, LlmIssue } from './language-model.ts';

/**
 * Where a value came from. `rules` is the deterministic path (no model configured); `fallback` means
 * a model was configured and its answer was unusable, so the deterministic value was used instead.
 */
export type Assisted<T> =
  | {
      readonly value: T;
      readonly source: 'model';
      readonly fallback: false;
      readonly model: string;
      readonly cached: boolean;
    }
  | { readonly value: T; readonly source: 'rules'; readonly fallback: false }
  | { readonly value: T; readonly source: 'rules'; readonly fallback: true; readonly reason: readonly LlmIssue[] };

/**
 * Asks the model when there is one, else (or when its answer is unusable) returns the deterministic
 * value. The fallback is computed lazily only when needed, but callers that must stay byte-identical
 * with and without a model compute decisions before calling this and use the model for wording only.
 *
 * @example
 * const summary = await assist(model, { purpose: 'summarise-packet', ... }, () => templateSummary(packet));
 */
export async function assist<T>(
  model: LanguageModel | undefined,
  request: LanguageModelRequest<T>,
  fallback: () => T,
): Promise<Assisted<T>> {
  if (model === undefined) return { value: fallback(), source: 'rules', fallback: false };
  const answer = await model.complete(request);
  if (answer.ok) {
    return {
      value: answer.value.value,
      source: 'model',
      fallback: false,
      model: answer.value.model,
      cached: answer.value.cached,
    };
  }
  return { value: fallback(), source: 'rules', fallback: true, reason: answer.issues };
}
