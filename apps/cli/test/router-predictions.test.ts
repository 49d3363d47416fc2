import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROUTING_TARGETS,
  fromModelFile,
  predict,
  predictTop,
  trainRouterModel,
  type RoutingTargetName,
  type TrainingExample,
} from '@baton/core/classify';
import { rankingDifference, referencePredict } from '../../../packages/core/test/router-reference.ts';
import { loadLabelledFile } from '../src/commands/route-eval-input.ts';

// The router's predictions were made faster (issue 17: tokenizer, scoring, ranking) without changing
// them: on real issues, every ranking equals the one the code before gave, label for label, each
// probability within 1e-12. `pnpm bench:route` runs the same check on the whole export.
const SAMPLE = join(import.meta.dirname, 'fixtures', 'appcelerator-sample.jsonl.gz');
const inputs = (await loadLabelledFile(SAMPLE)).inputs;

function trained(field: RoutingTargetName) {
  const target = ROUTING_TARGETS[field];
  const examples: TrainingExample[] = inputs.slice(0, 2000).flatMap((input) => {
    const label = target.label(input);
    return label === undefined ? [] : [{ input, label }];
  });
  // No calibration fits: the check is of predict, not of training (a fit costs seconds on 2 cores).
  const result = trainRouterModel(examples, target, [], { calibrationShare: 0 });
  if (!result.ok) throw new Error(result.issues[0]!.message);
  return result.value;
}

describe('router predictions on real Appcelerator issues', () => {
  it.each(['component', 'assignee'] as const)(
    '%s: the rankings of all 2,565 sample issues equal the reference ones',
    (field) => {
      const model = trained(field);
      expect(model.linear.classes.length).toBeGreaterThan(20);
      const probe = inputs;
      expect(probe.length).toBe(2565);
      const differences = probe.flatMap((input) => {
        const want = referencePredict(model, input);
        const d = rankingDifference(predict(model, input), want);
        // What the router reads (predictTop: the best one, or the top 3) is the start of the same ranking.
        const top = [1, 3, 10].flatMap((n) => {
          const e = rankingDifference(predictTop(model, input, n), want.slice(0, n));
          return e === undefined ? [] : [`top ${n}: ${e}`];
        });
        return d === undefined && top.length === 0 ? [] : [`${input.id}: ${[d, ...top].filter(Boolean).join('; ')}`];
      });
      expect(differences).toEqual([]);
    },
  );

  it('a model file written before loads and predicts what it predicted then', () => {
    const fixture = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures', 'router', 'component-model-d497760.json'), 'utf8'),
    ) as { model: unknown; predictions: { key: string; ranked: [string, number][] }[] };
    const loaded = fromModelFile(fixture.model);
    if (!loaded.ok) throw new Error(loaded.issues[0]!.message);
    expect(fixture.predictions.length).toBe(60);
    const byId = new Map(inputs.map((i) => [i.id, i]));
    const differences = fixture.predictions.flatMap(({ key, ranked }) => {
      const input = byId.get(key);
      if (input === undefined) return [`${key}: not in the sample`];
      const want = ranked.map(([label, probability]) => ({ label, probability }));
      const d = rankingDifference(predict(loaded.value, input), want);
      return d === undefined ? [] : [`${key}: ${d}`];
    });
    expect(differences).toEqual([]);
  });
});
