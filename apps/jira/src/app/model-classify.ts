import { fail } from '@baton/core';
import { classifyCasesWithLanguageModel, llmIssue } from '@baton/core/llm';
import type { FieldPrediction } from '@baton/core';
import type { LanguageModel } from '@baton/core/llm';
import type { Charter } from '@baton/core';
import { compileAtRunTime, hintStates } from './run-charter.ts';
import type { IssueFacts } from './issue-facts.ts';
import { priorityIsJirasDefault } from './router-rules.ts';
import type { AppDeps } from './app-deps.ts';

/**
 * Below this much of the invocation left, no further field is asked: the keyword rules classify it
 * (core counts it as a fallback, `llm.timeout`), so routing, the writes and the audit still fit in
 * the event's 25 s when the model is slow (the guard allows each call up to 12 s).
 */
export const MODEL_CLASSIFY_MIN_REMAINING_MS = 8_000;

/** The model, refusing (without a call) once the invocation has less than `minMs` left. */
export function whileTimeLeft(
  model: LanguageModel,
  remainingMs: () => number,
  minMs = MODEL_CLASSIFY_MIN_REMAINING_MS,
): LanguageModel {
  return {
    name: model.name,
    complete: (request) => {
      const left = remainingMs();
      if (left < minMs)
        return Promise.resolve(
          fail(
            llmIssue(
              'llm.timeout',
              `not asked: ${Math.max(0, Math.round(left / 1000))} s of the invocation left (under ${minMs / 1000} s); the keyword rules classify`,
            ),
          ),
        );
      return model.complete(request);
    },
  };
}

const filled = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * Core's model-classify pre-pass on an issue the router is about to look at, where the charter's
 * `routing.modelClassify` lets a model classify and the admin chose one: the model reads the issue's
 * text as it was created (quoted, redacted, cached by the redacted input's hash, budgeted and audited
 * by the same guarded model the drafts use) and picks one of the values the classify rules name.
 * The answers are model-made predictions for the router's classifier port; core caps them below the
 * act line. Undefined when nothing is to be asked (off, no model, every listed field already set);
 * a field whose call failed is absent, so the keyword rules classify it as they would without a model;
 * so is every field left when the invocation has under `MODEL_CLASSIFY_MIN_REMAINING_MS` to run.
 */
export async function modelPredictions(
  deps: AppDeps,
  issue: IssueFacts,
  charter: Charter,
  defaultPriority: string | null,
): Promise<ReadonlyMap<string, readonly FieldPrediction[]> | undefined> {
  const setting = charter.routing.modelClassify;
  if (!setting.enabled || setting.fields.length === 0 || issue.phase === 'done') return undefined;
  // Jira's default priority, untouched since, counts as empty (as for the keyword rules: see routerDecisions).
  const record = priorityIsJirasDefault(issue, defaultPriority)
    ? { ...issue.record, attributes: { ...issue.record.attributes, priority: null } }
    : issue.record;
  if (setting.fields.every((f) => filled(record.attributes[f]))) return undefined;
  const model = await deps.models.wording();
  if (model === undefined) return undefined;
  try {
    const { predictions, summary } = await classifyCasesWithLanguageModel(
      whileTimeLeft(model, deps.remainingMs),
      [record],
      compileAtRunTime(charter, { states: hintStates(charter, issue.hints) }),
    );
    if (summary.fellBack > 0)
      console.warn(
        `model classify ${issue.key}: ${summary.fellBack} of ${summary.asked} fell back to the keyword rules (${Object.keys(summary.reasons).join(', ')})`,
      );
    return predictions;
  } catch (e) {
    // The guard turns provider failures into results; anything else must not stop routing either.
    console.warn(
      `model classify ${issue.key}: ${e instanceof Error ? e.message : String(e)}; the keyword rules classify`,
    );
    return undefined;
  }
}
