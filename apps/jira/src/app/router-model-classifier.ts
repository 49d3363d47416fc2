import { predict, predictTop, routingInputFromCase } from '@baton/core/classify';
import type { RouterModel, RoutingInput } from '@baton/core/classify';
import type { CaseRecord, FieldPrediction, RouterClassifier } from '@baton/core';

/** The Jira field a model's target fills (core's targets are named by what they mean; Jira's field is plural). */
export const TARGET_FIELD: Readonly<Record<string, string>> = { component: 'components' };
export const fieldOfTarget = (target: string): string => TARGET_FIELD[target] ?? target;

/** The charter's confidence lines (`confidence.act`, `confidence.suggest`). */
export interface ConfidenceLines {
  readonly act: number;
  readonly suggest: number;
}

/**
 * A trained model's probability on the charter's confidence scale, by the model's own calibrated
 * lines: at or above its act line (top label right ≥ 90 % on held-out issues) the confidence reaches
 * the charter's act line; between its suggest and act lines it lies between the charter's suggest and
 * act lines; below its suggest line it stays under the charter's suggest line (the gate drops it).
 * A model with no act line (never 90 % precise on held-out issues) never clears the charter's act line.
 */
export function onCharterScale(p: number, model: Pick<RouterModel, 'thresholds'>, lines: ConfidenceLines): number {
  const { act, suggest } = model.thresholds;
  const below = (x: number) => Math.max(0, x - 0.001);
  if (act !== null && p >= act) return lines.act + (1 - lines.act) * ((p - act) / Math.max(1e-9, 1 - act));
  const top = act ?? 1;
  if (suggest !== null && p >= suggest)
    return Math.min(
      below(lines.act),
      lines.suggest + (lines.act - lines.suggest) * ((p - suggest) / Math.max(1e-9, top - suggest)),
    );
  return below(lines.suggest) * (p / Math.max(1e-9, suggest ?? top));
}

/**
 * Core's classifier port over the project's trained models: each model's top labels for its Jira
 * field, with confidences on the charter's scale (`onCharterScale`), when its top label clears the
 * model's suggest line; the charter's keyword rules (`base`) still answer for every field no model covers.
 */
export function trainedClassifier(
  base: RouterClassifier,
  models: readonly RouterModel[],
  lines: ConfidenceLines,
  top = 3,
): RouterClassifier {
  const covered = new Set(models.map((m) => fieldOfTarget(m.target)));
  return {
    classify(c: CaseRecord): readonly FieldPrediction[] {
      const input = routingInputFromCase(c);
      return [
        ...base.classify(c).filter((p) => !covered.has(p.field)),
        ...models.flatMap((m) => {
          const ranked = predictTop(m, input, top);
          // Below the model's suggest line its top label was right under 60 % of the time on held-out
          // issues: no guess at all (neither a field to fill nor a label for the ownership rules).
          const best = ranked[0];
          if (best === undefined || m.thresholds.suggest === null || best.probability < m.thresholds.suggest) return [];
          return [
            {
              field: fieldOfTarget(m.target),
              ranked: ranked.map((r) => ({ label: r.label, probability: onCharterScale(r.probability, m, lines) })),
              modelId: m.modelId,
            },
          ];
        }),
      ];
    },
  };
}

/** English words that say nothing about where an issue belongs, whatever a model learned of them. */
const STOP_WORDS = new Set(
  'the and for with this that from are was were when not but have has had you your all can could should would will its into than then there their they them what which who how also been being does did our out use using'.split(
    ' ',
  ),
);

/** Words of the title and description, each once, in order (3+ characters, no stop words). */
function wordsOf(input: RoutingInput): string[] {
  const text = `${input.title}\n${input.body}`.toLowerCase();
  const words = text.match(/[\p{L}\p{N}](?:[\p{L}\p{N}_.-]*[\p{L}\p{N}])?/gu) ?? [];
  return [...new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))].slice(0, 200);
}

/**
 * The evidence behind a model's label for an issue: the words that most raise the label's
 * probability on their own (each word scored alone against the model's answer to an empty issue),
 * strongest first, those at least a quarter as strong as the strongest. Empty when no word pushes
 * toward the label.
 */
export function evidenceWords(model: RouterModel, c: CaseRecord, label: string, max = 5): string[] {
  const input = routingInputFromCase(c);
  const bare: RoutingInput = { id: input.id, title: '', body: '', fields: {} };
  const probOf = (i: RoutingInput) => predict(model, i).find((r) => r.label === label)?.probability ?? 0;
  const baseline = probOf(bare);
  const lifts = wordsOf(input)
    .map((w) => ({ w, lift: probOf({ ...bare, title: w }) - baseline }))
    .filter((x) => x.lift > 0)
    .sort((a, b) => b.lift - a.lift || a.w.localeCompare(b.w));
  // A word that moves the label a quarter as much as the strongest one is not what decided it.
  const strongest = lifts[0]?.lift ?? 0;
  return lifts
    .filter((x) => x.lift >= strongest / 4)
    .slice(0, max)
    .map((x) => x.w);
}
