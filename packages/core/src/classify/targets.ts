import type { RoutingInput } from './features.ts';

/**
 * What a model learns to predict. Each target declares its own label and the fields it may use as
 * features, so the trainer stays generic (it never switches on a target's name).
 */
export interface RoutingTarget {
  readonly name: string;
  /** The label of a historical issue, or undefined when it has none (unassigned, unresolved ...). */
  readonly label: (input: RoutingInput) => string | undefined;
  /** Categorical fields known at creation that may be features for this target. */
  readonly featureFields: readonly string[];
}

export function defineTarget(target: RoutingTarget): RoutingTarget {
  return target;
}

function first(value: string | readonly string[] | undefined): string | undefined {
  const v = typeof value === 'string' ? value : value?.[0];
  return v === undefined || v.trim() === '' ? undefined : v;
}

// Known at creation in Jira: the project, the reporter, the labels; the issue type unless it is the target.
const AT_CREATION = ['project', 'reporter', 'labels'] as const;

/** Resolutions that mean "we could not act on this as reported" in the Appcelerator tracker. */
export const NEEDS_INFO_RESOLUTIONS: readonly string[] = ['Needs more info', 'Cannot Reproduce'];

export const ROUTING_TARGETS = {
  /** The primary (first-listed) component: the queue. */
  component: defineTarget({
    name: 'component',
    label: (i) => first(i.fields['components']),
    featureFields: [...AT_CREATION, 'issuetype'],
  }),
  // "None" is a priority value some Jira sites use for "not set": not a label to learn.
  priority: defineTarget({
    name: 'priority',
    label: (i) => {
      const p = first(i.fields['priority']);
      return p === 'None' ? undefined : p;
    },
    featureFields: [...AT_CREATION, 'issuetype'],
  }),
  issuetype: defineTarget({
    name: 'issuetype',
    label: (i) => first(i.fields['issuetype']),
    featureFields: [...AT_CREATION],
  }),
  /**
   * The person, learned with the queue as a feature: at prediction time the component comes from the
   * issue when set, otherwise from the component model (queue first, then person).
   */
  assignee: defineTarget({
    name: 'assignee',
    label: (i) => first(i.fields['assignee']),
    featureFields: [...AT_CREATION, 'issuetype', 'components'],
  }),
  /** Will this issue end as "needs more info" / "cannot reproduce"? Unresolved issues have no label. */
  needsinfo: defineTarget({
    name: 'needsinfo',
    label: (i) => {
      const r = first(i.fields['resolution']);
      if (r === undefined) return undefined;
      return NEEDS_INFO_RESOLUTIONS.includes(r) ? 'needs-info' : 'actionable';
    },
    featureFields: [...AT_CREATION, 'issuetype'],
  }),
  /** Any labelled text set (CSV with title, body, label): text only. */
  label: defineTarget({ name: 'label', label: (i) => first(i.fields['label']), featureFields: [] }),
} as const satisfies Record<string, RoutingTarget>;

export type RoutingTargetName = keyof typeof ROUTING_TARGETS;
