import type { CaseRecord } from '../model/case.ts';
import { routingInputFromCase } from './case-input.ts';
import type { RoutingInput } from './features.ts';
import { predictTop, type RouterModel } from './router-model.ts';

/** The router's classifier port, as the agent consumes it (structurally the same as agent/router/router.ts). */
export interface ModelFieldPrediction {
  readonly field: string;
  readonly ranked: readonly { readonly label: string; readonly probability: number }[];
  readonly modelId: string;
  readonly modelMade?: boolean;
}

/**
 * Fills the queue before the person: when the issue has no component yet, the component model's
 * top label stands in for it, because the assignee model learned people per component.
 */
export function withPredictedComponent(input: RoutingInput, component: RouterModel | undefined): RoutingInput {
  const current = input.fields['components'];
  const hasComponent = typeof current === 'string' ? current !== '' : (current?.length ?? 0) > 0;
  if (hasComponent || component === undefined) return input;
  const best = predictTop(component, input, 1)[0];
  return best === undefined ? input : { ...input, fields: { ...input.fields, components: [best.label] } };
}

/**
 * Adapts trained models to the router's `RouterClassifier` port: one prediction per model (top 3),
 * the component (queue) first and the assignee (person) after it.
 */
export function createModelClassifier(models: readonly RouterModel[], top = 3) {
  const order = ['component', 'assignee'];
  const sorted = [...models].sort((a, b) => (order.indexOf(a.target) + 1 || 99) - (order.indexOf(b.target) + 1 || 99));
  const component = models.find((m) => m.target === 'component');
  return {
    classify(c: CaseRecord): readonly ModelFieldPrediction[] {
      const input = routingInputFromCase(c);
      return sorted.map((m) => ({
        field: m.target,
        ranked: predictTop(m, m.target === 'assignee' ? withPredictedComponent(input, component) : input, top),
        modelId: m.modelId,
        modelMade: true,
      }));
    },
  };
}
