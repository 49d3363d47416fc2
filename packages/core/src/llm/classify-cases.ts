import { compileCharter, matchesAttributes, type CompiledCharter } from '../charter/compile-charter.ts';
import type { Charter } from '../charter/charter-schema.ts';
import type { CaseRecord } from '../model/case.ts';
import type { FieldPrediction, RouterClassifier } from '../agent/router/router.ts';
import type { Evidence, LanguageModel } from './language-model.ts';
import { classifyWithLanguageModelResult, type LlmFieldPrediction } from './llm-classifier.ts';

/** What the model's classification pass did, for a run's summary. */
export interface ModelClassifySummary {
  readonly model: string | null;
  readonly fields: readonly string[];
  /** Calls made (one per case and field the charter lets the model classify). */
  readonly asked: number;
  readonly answered: number;
  /** Calls whose answer was not used: the keyword rules classified instead. */
  readonly fellBack: number;
  /** Fallbacks by issue code. */
  readonly reasons: Readonly<Record<string, number>>;
}

export interface ModelClassification {
  /** The model's predictions by case id (only the fields it answered for). */
  readonly predictions: ReadonlyMap<string, readonly LlmFieldPrediction[]>;
  readonly summary: ModelClassifySummary;
}

/** A field's value when the case was created: the first change's `from`, else the value it has. */
function atCreation(record: CaseRecord, field: string, current: unknown = record.attributes[field]): unknown {
  const first = record.events.find((e) => e.kind === 'field' && e.field === field);
  return first === undefined ? current : first.from;
}

const filled = (v: unknown): boolean =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/**
 * The text a case had when it was created (title and description, before any later edit): all the
 * model may read, so that a replay never classifies with hindsight.
 */
export function creationEvidence(record: CaseRecord): Evidence[] {
  const title = atCreation(record, 'summary', record.title);
  const description = atCreation(record, 'description', record.description);
  const out: Evidence[] = [];
  if (typeof title === 'string' && title.trim() !== '') out.push({ id: 'title', source: 'field:Summary', text: title });
  if (typeof description === 'string' && description.trim() !== '')
    out.push({ id: 'description', source: 'description', text: description });
  return out;
}

/**
 * Asks a language model to classify each case once, on the text known at its creation, for the
 * fields the charter's `routing.modelClassify` lists (nothing when it is off). The labels are the
 * closed list `routing.classify` names for the field. Fields already filled at creation are not
 * asked. Runs before a replay (the engine is synchronous); the model's guard redacts, caches by the
 * redacted input's hash and audits every call. A failed call is counted and leaves the field to
 * the keyword rules.
 */
export async function classifyCasesWithLanguageModel(
  model: LanguageModel,
  cases: readonly CaseRecord[],
  charter: Charter | CompiledCharter,
): Promise<ModelClassification> {
  const c = 'charter' in charter ? charter : compileCharter(charter);
  const setting = c.charter.routing.modelClassify;
  const fields = setting.enabled ? setting.fields : [];
  const predictions = new Map<string, LlmFieldPrediction[]>();
  const reasons: Record<string, number> = {};
  let asked = 0;
  let answered = 0;
  for (const record of cases) {
    if (fields.length === 0 || !c.inScope(record)) continue;
    const evidence = creationEvidence(record);
    if (evidence.length === 0) continue;
    for (const field of fields) {
      if (filled(atCreation(record, field))) continue;
      const rules = c.charter.routing.classify.filter(
        (r) => r.field === field && matchesAttributes(r.when, record.attributes),
      );
      const labels = [...new Set(rules.map((r) => r.label))];
      if (labels.length === 0) continue;
      asked++;
      const r = await classifyWithLanguageModelResult(model, {
        field,
        labels: labels as [string, ...string[]],
        evidence,
        // Below the charter's act line: a model's label is a suggestion for a person.
        confidenceCap: Math.min(0.75, Math.max(0, c.charter.confidence.act - 0.01)),
      });
      if (r.ok) {
        answered++;
        const list = predictions.get(record.id) ?? [];
        // The model asked for, not the snapshot that answered: a cached answer names no snapshot, and
        // a replay must write the same decisions whether its answers came fresh or from the cache.
        list.push({ ...r.value, modelId: `llm:${model.name}` });
        predictions.set(record.id, list);
      } else {
        for (const code of new Set(r.issues.map((i) => i.code))) reasons[code] = (reasons[code] ?? 0) + 1;
      }
    }
  }
  return { predictions, summary: { model: model.name, fields, asked, answered, fellBack: asked - answered, reasons } };
}

/**
 * The router's classifier port with a model's precomputed predictions in front: for a case and field
 * the model answered, its (model-made) prediction; for every other field, or when it failed, `rules`.
 */
export function createModelAssistedClassifier(
  rules: RouterClassifier,
  predictions: ReadonlyMap<string, readonly FieldPrediction[]>,
): RouterClassifier {
  return {
    classify(record) {
      const byModel = predictions.get(record.id) ?? [];
      if (byModel.length === 0) return rules.classify(record);
      const taken = new Set(byModel.map((p) => p.field));
      return [...byModel, ...rules.classify(record).filter((p) => !taken.has(p.field))];
    },
  };
}
