import type { LadderStep, StepKind } from '../../charter/charter-schema.ts';
import type { Action } from '../../decision/action.ts';

/** Who a step can reach for a case. */
export interface StepTargets {
  readonly owner: string | null;
  readonly lead: string | null;
}

/**
 * What each escalation-ladder step does, declared per step kind (the watchdog never switches on it).
 * A step without a reachable target yields no action.
 */
export const LADDER_STEP_ACTIONS: Readonly<
  Record<StepKind, (step: LadderStep, to: StepTargets, message: string) => Action | null>
> = {
  'nudge-owner': (step, to, message) => {
    const who = step.target ?? to.owner ?? to.lead;
    return who === null ? null : { kind: 'notify', to: who, message };
  },
  'notify-lead': (step, to, message) => {
    const who = step.target ?? to.lead;
    return who === null ? null : { kind: 'escalate', to: who, message };
  },
  reassign: (step, to) => {
    const who = step.target ?? to.lead;
    return who === null || who === to.owner ? null : { kind: 'assign', to: who };
  },
  'raise-priority': (step) =>
    step.priority === undefined ? null : { kind: 'setField', field: 'priority', value: step.priority },
};

/** Fills `{name}` placeholders; unknown names stay as written so that a typo is visible. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}
