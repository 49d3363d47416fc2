import * as z from 'zod';
import { ActionKindSchema } from '../decision/action.ts';
import { ReadinessRequirementSchema } from '../model/readiness.ts';
import { RiskSchema } from '../decision/decision.ts';
import { PhaseSchema, WaitingReasonSchema } from '../model/workflow.ts';
import { CalendarSchema } from '../time/calendar.ts';
import { DurationSchema } from './duration.ts';
import { strictObject } from '../strict-object.ts';

/**
 * The charter: the agent's policy, what an admin edits (JSON or YAML; the CLI and the app parse YAML
 * and pass the object to `parseCharter`). Every section has defaults, so `{ version: 2 }` is a valid
 * charter that observes everything and only suggests.
 */
export const CHARTER_VERSION = 2;

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ClockSchema = z.string().regex(CLOCK, { message: "expected a time of day 'HH:MM'" });
const Names = z.array(z.string().min(1));

/** Case attributes → accepted values (a case matches when every listed attribute has one of them). */
export const AttributeMatchSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export type AttributeMatch = z.infer<typeof AttributeMatchSchema>;

export const ScopeSchema = strictObject({
  projects: Names.default([]),
  issueTypes: Names.default([]),
  priorities: Names.default([]),
  labels: Names.default([]),
  components: Names.default([]),
}).default({ projects: [], issueTypes: [], priorities: [], labels: [], components: [] });
export type Scope = z.infer<typeof ScopeSchema>;

export const CharterStateSchema = strictObject({
  phase: PhaseSchema,
  waitingReason: WaitingReasonSchema.optional(),
  /** The definition of ready: what must be present before the case may leave this state. */
  ready: z.array(ReadinessRequirementSchema).default([]),
  /** Where the case goes when the missing information arrives (closes the missing-info loop). */
  onReady: z.string().optional(),
  /** Idle business time after which the case counts as stalled here (default: the state's p90 from history). */
  norm: DurationSchema.optional(),
});
export type CharterState = z.infer<typeof CharterStateSchema>;

export const WorkflowSectionSchema = strictObject({
  /**
   * Idle business time after which a case counts as stalled in a state that sets no `norm` of its
   * own and has no norm from history (default: 3 business days). Optional, added in version 2.
   */
  norm: DurationSchema.optional(),
  /** States not listed map by name and Jira category (`defaultStateMapping`). */
  states: z.record(z.string(), CharterStateSchema).default({}),
}).default({ states: {} });

/** A start / pause / stop condition of an SLA clock. */
export const ClockConditionSchema = z.discriminatedUnion('on', [
  /** True from the case's first event on. */
  strictObject({ on: z.literal('created') }),
  strictObject({ on: z.literal('status'), in: Names.min(1) }),
  strictObject({ on: z.literal('phase'), in: z.array(PhaseSchema).min(1) }),
  strictObject({ on: z.literal('waiting'), reasons: z.array(WaitingReasonSchema).min(1) }),
  strictObject({
    on: z.literal('field'),
    field: z.string().min(1),
    /** `true`: the field has a non-empty value; `false`: it has none. */
    present: z.boolean().optional(),
    equals: z.string().optional(),
  }),
]);
export type ClockCondition = z.infer<typeof ClockConditionSchema>;

export const SlaGoalSchema = strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  /** Which cases the goal applies to; empty applies to all. */
  when: AttributeMatchSchema.default({}),
  /** A calendar name from `calendars`. */
  calendar: z.string().default('default'),
  target: DurationSchema,
  start: z
    .array(ClockConditionSchema)
    .min(1)
    .default([{ on: 'created' }]),
  pause: z.array(ClockConditionSchema).default([]),
  stop: z
    .array(ClockConditionSchema)
    .min(1)
    .default([{ on: 'phase', in: ['done'] }]),
  /** Fractions of the target at which the goal is at risk (the first is the at-risk line). */
  warnAt: z.array(z.number().gt(0).lt(1)).default([0.75]),
});
export type SlaGoal = z.infer<typeof SlaGoalSchema>;

export const MemberSchema = strictObject({
  id: z.string().min(1),
  skills: Names.default([]),
  /** Overrides `routing.maxOpenPerPerson`. */
  maxOpen: z.number().int().positive().optional(),
});
export const TeamSchema = strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  lead: z.string().optional(),
  members: z.array(MemberSchema).default([]),
});
export type Team = z.infer<typeof TeamSchema>;

export const OwnershipRuleSchema = strictObject({
  id: z.string().min(1),
  /** Case attributes and predicted fields (`component`, `type`) that select the rule. */
  when: AttributeMatchSchema.default({}),
  team: z.string().min(1),
  /** A fixed owner; otherwise the router picks a member by skills and load. */
  owner: z.string().optional(),
});
export type OwnershipRule = z.infer<typeof OwnershipRuleSchema>;

/** The default classifier's rules: a keyword in the title/description predicts `label` for `field`. */
export const ClassifyRuleSchema = strictObject({
  field: z.string().min(1),
  label: z.string().min(1),
  keywords: Names.default([]),
  when: AttributeMatchSchema.default({}),
});
export type ClassifyRule = z.infer<typeof ClassifyRuleSchema>;

/**
 * Whether a language model may classify, and which fields. Off by default: the keyword rules decide.
 * When on (and a model is configured), the model picks each listed field's label from the labels
 * `routing.classify` names for it; its proposals pass the same gate, capped below `confidence.act`,
 * and are marked model-made (`source: 'model'` beside the rule `router.classify`). A failed call falls back to the rules.
 * Added in version 2 with a default, so existing version-2 charters stay valid (no migration).
 */
export const ModelClassifySchema = strictObject({
  enabled: z.boolean().default(false),
  fields: Names.default([]),
}).default({ enabled: false, fields: [] });
export type ModelClassify = z.infer<typeof ModelClassifySchema>;

export const RoutingSchema = strictObject({
  teams: z.array(TeamSchema).default([]),
  ownership: z.array(OwnershipRuleSchema).default([]),
  classify: z.array(ClassifyRuleSchema).default([]),
  modelClassify: ModelClassifySchema,
  maxOpenPerPerson: z.number().int().positive().default(15),
}).default({
  teams: [],
  ownership: [],
  classify: [],
  modelClassify: { enabled: false, fields: [] },
  maxOpenPerPerson: 15,
});
export type Routing = z.infer<typeof RoutingSchema>;

/** What a ladder step does; each step kind declares its action in `ladder-steps.ts`. */
export const STEP_KINDS = ['nudge-owner', 'notify-lead', 'reassign', 'raise-priority'] as const;
export const StepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof StepKindSchema>;

export const LadderStepSchema = strictObject({
  /** Fraction of an SLA goal's target consumed (0.75 = 75 %), or idle business time in the state. */
  slaConsumed: z.number().gt(0).optional(),
  idle: DurationSchema.optional(),
  do: StepKindSchema,
  /** A person or team id; defaults: the owner (nudge), the team lead (notify/reassign). */
  target: z.string().optional(),
  /** For `raise-priority`: the priority to set. */
  priority: z.string().optional(),
  /** Template: {case} {title} {state} {owner} {idle} {since} {blocking} {waiting} {stakes} {goal} {remaining}. */
  message: z.string().min(1),
}).refine((s) => (s.slaConsumed === undefined) !== (s.idle === undefined), {
  message: 'expected exactly one threshold: slaConsumed or idle',
});
export type LadderStep = z.infer<typeof LadderStepSchema>;

export const LadderSchema = strictObject({
  id: z.string().min(1),
  /** An SLA goal id (for `slaConsumed` steps); steps with `idle` apply to every case in scope. */
  goal: z.string().optional(),
  steps: z.array(LadderStepSchema).min(1),
});
export type Ladder = z.infer<typeof LadderSchema>;

export const AUTONOMY_LEVELS = ['off', 'assist', 'automate', 'enforce'] as const;
export const AutonomySchema = z.enum(AUTONOMY_LEVELS);
export type Autonomy = z.infer<typeof AutonomySchema>;

export const AutonomySectionSchema = strictObject({
  default: AutonomySchema.default('assist'),
  kinds: z.partialRecord(ActionKindSchema, AutonomySchema).default({}),
}).default({ default: 'assist', kinds: {} });

export const ConfidenceSchema = strictObject({
  act: z.number().min(0).max(1).default(0.9),
  suggest: z.number().min(0).max(1).default(0.5),
})
  .default({ act: 0.9, suggest: 0.5 })
  .refine((c) => c.suggest <= c.act, { message: 'expected confidence.suggest ≤ confidence.act' });

export const RiskRulesSchema = strictObject({
  /** Customer-facing actions are never carried out without a person unless this is true. */
  autoCustomerFacing: z.boolean().default(false),
  customerFacingRisk: RiskSchema.default('medium'),
  moneyFields: Names.default([]),
  moneyRisk: RiskSchema.default('high'),
  priorityFields: Names.default(['priority']),
  priorityRisk: RiskSchema.default('medium'),
  /** Decisions at this risk or above go to a person with their evidence. */
  escalateAt: RiskSchema.default('high'),
}).default({
  autoCustomerFacing: false,
  customerFacingRisk: 'medium',
  moneyFields: [],
  moneyRisk: 'high',
  priorityFields: ['priority'],
  priorityRisk: 'medium',
  escalateAt: 'high',
});

export const CapsSchema = strictObject({
  maxNudgesPerCasePerDay: z.number().int().min(0).default(1),
  maxNudgesPerPersonPerDay: z.number().int().min(0).default(5),
  /** Local wall-clock window (calendar `default`'s zone) without nudges; may cross midnight. */
  quietHours: strictObject({ from: ClockSchema, to: ClockSchema }).nullable().default(null),
  /** No nudges outside the default calendar's working hours. */
  quietOutsideBusinessHours: z.boolean().default(true),
  /** No nudge on a case a person touched within this much business time. */
  recentTouch: DurationSchema.default('4h'),
}).default({
  maxNudgesPerCasePerDay: 1,
  maxNudgesPerPersonPerDay: 5,
  quietHours: null,
  quietOutsideBusinessHours: true,
  recentTouch: '4h',
});

/** The missing-information loop of the router. */
export const MissingInfoSchema = strictObject({
  remindAfter: DurationSchema.default('1d'),
  escalateAfter: DurationSchema.default('3d'),
  /** Who hears of a request nobody answered when the owner's team has no lead (or the case no owner yet). */
  escalateTo: z.string().min(1).optional(),
  /**
   * When the information never arrives: after `after` of business time in the state (the reporter
   * asked at least once), the issue moves to the workflow state `to` (a "Closed", a "Won't do") and
   * the reporter is told why. Absent: the loop waits after its escalation.
   */
  close: strictObject({ after: DurationSchema, to: z.string().min(1) }).optional(),
}).default({ remindAfter: '1d', escalateAfter: '3d' });

/**
 * The daily operational report (the concierge's): who is sent it each morning, and from when. Added in
 * version 2 with a default (nobody), so existing version-2 charters stay valid (no migration).
 */
export const ReportSectionSchema = strictObject({
  /** People (account ids) or team ids (a team: its lead and its members) who receive the report. */
  to: Names.default([]),
  /** Local time of day, in the default calendar's zone, from which the day's report goes out. */
  at: ClockSchema.default('08:00'),
}).default({ to: [], at: '08:00' });
export type ReportSection = z.infer<typeof ReportSectionSchema>;

/**
 * The concierge on a meaningful change (core's `worthPushing`): which audiences are proposed an update
 * nobody asked for, and how the executive one reaches the lead. Added in version 2 with a default
 * (nobody), so existing version-2 charters stay valid and quiet. The gate decides as for any decision
 * (`autonomy.kinds.comment`, `notify`; a customer update is customer-facing).
 */
export const ConciergeSectionSchema = strictObject({
  /** The audiences (`customer`, `internal`, `executive`: core's `AUDIENCES`) proposed an update on a change. */
  onChange: z.array(z.enum(['customer', 'internal', 'executive'])).default([]),
  /** The executive update: by the tracker's notification email to the lead (default), or a comment mentioning them. */
  executiveBy: z.enum(['email', 'comment']).default('email'),
}).default({ onChange: [], executiveBy: 'email' });
export type ConciergeSection = z.infer<typeof ConciergeSectionSchema>;

/**
 * Which of the agent's messages a Jira Service Management customer may read (the portal and its emails).
 * Every other comment the agent writes is internal; an update to the `customer` audience is always public.
 * Only a missing-info request (`requestInfo`, addressed to the reporter) may be made public: nudges,
 * escalations and notes to the team carry internal names and evidence.
 */
export const PUBLIC_MESSAGE_KINDS = ['requestInfo'] as const;
export const ServiceDeskSectionSchema = strictObject({
  publicMessages: z.array(z.enum(PUBLIC_MESSAGE_KINDS)).default([]),
}).default({ publicMessages: [] });
export type ServiceDeskSection = z.infer<typeof ServiceDeskSectionSchema>;

/**
 * How the clerk's handoff packet reaches a new owner: an internal comment that mentions them (the
 * default), or the tracker's notification email to them alone (Jira's notify: no comment on the case).
 * Added in version 2 with a default, so existing version-2 charters stay valid (no migration). The gate
 * decides as for any decision (`autonomy.kinds.comment`, `notify`); a handoff is never a nudge.
 */
export const HANDOFF_CHANNELS = ['comment', 'email'] as const;
export const HandoffSectionSchema = strictObject({
  by: z.enum(HANDOFF_CHANNELS).default('comment'),
}).default({ by: 'comment' });
export type HandoffSection = z.infer<typeof HandoffSectionSchema>;

export const CharterSchema = strictObject({
  version: z.literal(CHARTER_VERSION),
  name: z.string().default('charter'),
  scope: ScopeSchema,
  workflow: WorkflowSectionSchema,
  /** Named calendars; `default` is used when a goal names none (Mon–Fri 09–17 UTC if absent). */
  calendars: z.record(z.string(), CalendarSchema).default({}),
  slaGoals: z.array(SlaGoalSchema).default([]),
  routing: RoutingSchema,
  missingInfo: MissingInfoSchema,
  escalation: strictObject({ ladders: z.array(LadderSchema).default([]) }).default({ ladders: [] }),
  autonomy: AutonomySectionSchema,
  confidence: ConfidenceSchema,
  risk: RiskRulesSchema,
  caps: CapsSchema,
  report: ReportSectionSchema,
  concierge: ConciergeSectionSchema,
  serviceDesk: ServiceDeskSectionSchema,
  handoff: HandoffSectionSchema,
});
/** A validated charter (plain data, JSON-safe). `compileCharter` prepares it for the patterns. */
export type Charter = z.output<typeof CharterSchema>;
export type CharterInput = z.input<typeof CharterSchema>;
