import { StateMappingSchema } from '@baton/core';
import * as z from 'zod';

/**
 * The app's first charter dialect (`jira-app-v1`), kept only to read records stored in it: they are
 * migrated to core's charter on read (`migrate.ts`) and written in core's on the next save. Kept
 * until a later major version. Only the migration imports it (and tests that write fixtures in it).
 * The default was `assist` everywhere: the agent proposes, a person decides.
 */
export const ACTION_KINDS = ['assign', 'nudge', 'escalate', 'comment'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
/**
 * The autonomy dials: one per action kind, plus `setField` for field writes (the router's due date,
 * decision kind `setDueDate`; classified priority, labels, components, kind `setField`). A stored
 * charter saved before a dial existed loads with `assist`.
 */
export const AUTONOMY_DIALS = [...ACTION_KINDS, 'setField'] as const;
export type AutonomyDial = (typeof AUTONOMY_DIALS)[number];
export const AUTONOMY = ['off', 'assist', 'automate', 'enforce'] as const;
export type Autonomy = (typeof AUTONOMY)[number];

const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?[mhd]$/, "expected a duration like '30m', '8h' or '3d' (d = one business day)");
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected a time like '09:00'");

export const SlaGoalSchema = z.object({
  name: z.string().min(1).max(60),
  /** Priorities the goal applies to; empty = every issue. */
  priorities: z.array(z.string()).default([]),
  target: Duration,
  /** Share of the target after which the clock is "at risk". */
  atRiskAt: z.number().gt(0).lt(1).default(0.75),
});
export type SlaGoal = z.infer<typeof SlaGoalSchema>;

/**
 * Jira fields a state's definition of ready may name (ids as REST v3 spells them); besides these, any
 * custom field id (`customfield_10010`), `link` (a linked issue or URL), `attachment`, and `approval`
 * (a comment that approves, by someone other than the owner and the app) or `approval:<accountId>`
 * (by that person).
 */
export const READY_FIELDS = [
  'assignee',
  'reporter',
  'priority',
  'duedate',
  'description',
  'environment',
  'components',
  'labels',
  'fixVersions',
  'versions',
] as const;
export const READY_OTHER = ['link', 'attachment', 'approval'] as const;
const CUSTOM_FIELD = /^customfield_\d+$/;
/** `approval:<accountId>`: an approval by that person (core's `approval` with `by`). */
export const NAMED_APPROVAL = /^approval:[A-Za-z0-9:_-]+$/;
const KNOWN_READY: ReadonlySet<string> = new Set([...READY_FIELDS, ...READY_OTHER]);

/** One artifact required before an issue may leave a state: a field id, `link`, `attachment` or an approval. */
export const ReadyArtifactSchema = z.string().superRefine((v, ctx) => {
  if (KNOWN_READY.has(v) || CUSTOM_FIELD.test(v) || NAMED_APPROVAL.test(v)) return;
  ctx.addIssue({
    code: 'custom',
    message: `unknown field '${v}': expected one of ${[...READY_FIELDS].join(', ')}, a custom field id like customfield_10010, link, attachment, approval or approval:<accountId>`,
  });
});

/** A status of the workflow map: the phase Baton reads it as and, optionally, what is required to leave it. */
export const WorkflowStateSchema = StateMappingSchema.extend({
  /** The definition of ready (core's `workflow.states[s].ready`); absent = the app's default checklist. */
  ready: z.array(ReadyArtifactSchema).max(20).optional(),
});
export type WorkflowState = z.infer<typeof WorkflowStateSchema>;

/**
 * What a ladder step does (core's step kinds): a nudge to the owner or an escalation comment to a
 * person, a reassignment (`PUT /issue/{key}/assignee`), or a priority raised (never lowered).
 */
export const LADDER_STEPS = ['nudge-owner', 'notify-lead', 'reassign', 'raise-priority'] as const;

/** A step's message when none is written (core's template). */
export const DEFAULT_STEP_MESSAGE = '{case} "{title}": {state} for {idle}, owner {owner}';

/** One rung: at a share of an SLA goal's target consumed, or after idle business time in a status. */
export const LadderStepSchema = z
  .object({
    /** Share of the ladder's SLA goal consumed (0.75 = 75 %; above 1 is past the breach). */
    slaConsumed: z.number().gt(0).max(10).optional(),
    /** Idle business time in the issue's current status. */
    idle: Duration.optional(),
    do: z.enum(LADDER_STEPS),
    /** An account id; default: the owner (nudge-owner), `escalation.lead` (notify-lead, reassign). */
    to: z.string().min(1).optional(),
    /** raise-priority only: the priority (name or id) to raise the issue to. */
    priority: z.string().trim().min(1).max(60).optional(),
    /** Core's template: {case} {title} {state} {owner} {idle} {since} {blocking} {waiting} {stakes} {goal} {remaining}. */
    message: z.string().min(1).max(500).default(DEFAULT_STEP_MESSAGE),
  })
  .refine((st) => (st.slaConsumed === undefined) !== (st.idle === undefined), {
    message: 'expected exactly one threshold: slaConsumed or idle',
  });

export const LadderSchema = z.object({
  name: z.string().min(1).max(60),
  /** The SLA goal (by name) that `slaConsumed` steps measure. */
  goal: z.string().min(1).optional(),
  steps: z.array(LadderStepSchema).min(1).max(10),
});
export type Ladder = z.infer<typeof LadderSchema>;

/**
 * Fields the router's classify rules may fill, and the app can write: `priority` (a priority's name or
 * id), `labels` (one label, added) and `components` (a component's name, added).
 */
export const CLASSIFY_FIELDS = ['priority', 'labels', 'components'] as const;
export type ClassifyField = (typeof CLASSIFY_FIELDS)[number];

/**
 * A classify rule (core's `routing.classify`): a keyword in the issue's summary or description votes
 * for `value` in `field`; the value with most votes is proposed, for an empty field only.
 */
export const ClassifyRuleSchema = z
  .object({
    field: z.enum(CLASSIFY_FIELDS),
    /** A priority name or id (`High`, `2`), a label (no spaces), or a component name. */
    value: z.string().trim().min(1).max(255),
    /** Words or phrases matched whole, case-insensitively. */
    keywords: z.array(z.string().trim().min(1).max(60)).min(1).max(30),
  })
  .superRefine((r, ctx) => {
    if (r.field === 'labels' && /\s/.test(r.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: `a label cannot contain spaces: '${r.value}'` });
  });
export type ClassifyRule = z.infer<typeof ClassifyRuleSchema>;

/**
 * Core's `routing.modelClassify`: when on and the admin chose a model, the model classifies these
 * fields of a new issue (one of the values the classify rules name for the field) before the router
 * runs; its proposals are capped below `minConfidenceToAct` and marked model-made, so a person decides.
 * With no model, or when a call fails, the keyword rules classify.
 */
export const ModelClassifySchema = z
  .object({
    enabled: z.boolean().default(false),
    fields: z.array(z.enum(CLASSIFY_FIELDS)).max(CLASSIFY_FIELDS.length).default([]),
  })
  .default({ enabled: false, fields: [] });
export type ModelClassify = z.infer<typeof ModelClassifySchema>;

export const CharterSchema = z
  .object({
    projects: z.array(z.string().regex(/^[A-Z][A-Z0-9_]+$/, 'expected a project key like SUP')).default([]),
    // Each dial defaults on its own: a charter stored before a dial was added still loads (with assist).
    autonomy: z
      .object(
        Object.fromEntries(AUTONOMY_DIALS.map((k) => [k, z.enum(AUTONOMY).default('assist')])) as Record<
          AutonomyDial,
          z.ZodDefault<z.ZodEnum<{ [K in Autonomy]: K }>>
        >,
      )
      .default({
        assign: 'assist',
        nudge: 'assist',
        escalate: 'assist',
        comment: 'assist',
        setField: 'assist',
      }),
    /** Decisions below this confidence are never executed, whatever the autonomy. */
    minConfidenceToAct: z.number().min(0).max(1).default(0.8),
    calendar: z
      .object({
        utcOffsetMinutes: z
          .number()
          .int()
          .min(-14 * 60)
          .max(14 * 60)
          .default(0),
        workdays: z.array(z.number().int().min(0).max(6)).min(1).default([1, 2, 3, 4, 5]),
        start: ClockTime.default('09:00'),
        end: ClockTime.default('17:00'),
      })
      // Checked whenever both times are valid, even if other fields are not: a rejected save lists every problem.
      .refine((c) => c.start < c.end, {
        path: ['end'],
        message: 'the working day must end after it starts',
        when: (p) => {
          const v = p.value as { start?: unknown; end?: unknown } | undefined;
          return ClockTime.safeParse(v?.start ?? '09:00').success && ClockTime.safeParse(v?.end ?? '17:00').success;
        },
      })
      .default({ utcOffsetMinutes: 0, workdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }),
    slaGoals: z
      .array(SlaGoalSchema)
      .max(20)
      .superRefine((goals, ctx) => {
        const names = new Set<string>();
        goals.forEach((g, i) => {
          if (names.has(g.name))
            ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate goal name '${g.name}'` });
          names.add(g.name);
        });
      })
      .default([]),
    watchdog: z.object({ staleAfter: Duration.default('2d') }).default({ staleAfter: '2d' }),
    caps: z
      .object({
        nudgesPerIssuePerDay: z.number().int().min(0).max(20).default(1),
        quietHours: z.object({ start: ClockTime, end: ClockTime }).nullable().default(null),
      })
      .default({ nudgesPerIssuePerDay: 1, quietHours: null }),
    workflow: z.record(z.string(), WorkflowStateSchema).default({}),
    routing: z
      .object({
        candidates: z.array(z.string()).default([]),
        classify: z.array(ClassifyRuleSchema).max(50).default([]),
        modelClassify: ModelClassifySchema,
      })
      .default({ candidates: [], classify: [], modelClassify: { enabled: false, fields: [] } }),
    /** Core's escalation ladders; `lead` is whom `notify-lead` steps reach when they name nobody. */
    escalation: z
      .object({ lead: z.string().min(1).nullable().default(null), ladders: z.array(LadderSchema).max(10).default([]) })
      .default({ lead: null, ladders: [] }),
  })
  // Names across sections (goals, ladders, the lead). zod 4 runs this beside the field checks, so an unknown goal is
  // reported together with, say, a bad duration elsewhere (the form test shows both).
  .superRefine((c, ctx) => {
    // The model picks one of the values the classify rules name for a field: a field without rules has none.
    const mc = c.routing.modelClassify;
    mc.fields.forEach((f, i) => {
      if (!c.routing.classify.some((r) => r.field === f))
        ctx.addIssue({
          code: 'custom',
          path: ['routing', 'modelClassify', 'fields', i],
          message: `no values for '${f}' in routing.classify (the model picks one of the values the rules name)`,
        });
    });
    if (mc.enabled && mc.fields.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['routing', 'modelClassify', 'fields'],
        message: 'expected at least one field for the model to classify (e.g. [components])',
      });
    const goals = new Set(c.slaGoals.map((g) => g.name));
    const names = new Set<string>();
    c.escalation.ladders.forEach((l, i) => {
      const at = ['escalation', 'ladders', i];
      if (names.has(l.name))
        ctx.addIssue({ code: 'custom', path: [...at, 'name'], message: `duplicate ladder name '${l.name}'` });
      names.add(l.name);
      if (l.goal !== undefined && !goals.has(l.goal))
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'goal'],
          message: `unknown SLA goal '${l.goal}': expected one of slaGoals' names`,
        });
      l.steps.forEach((st, j) => {
        if (st.slaConsumed !== undefined && l.goal === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'steps', j, 'slaConsumed'],
            message: 'a slaConsumed step needs the ladder to name its SLA goal (goal)',
          });
        if ((st.do === 'notify-lead' || st.do === 'reassign') && st.to === undefined && c.escalation.lead === null)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'steps', j, 'to'],
            message: `${st.do} needs a person: set to, or escalation.lead`,
          });
        if (st.do === 'raise-priority' && st.priority === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'steps', j, 'priority'],
            message: 'raise-priority needs the priority to raise to (a name like High, or an id)',
          });
        if (st.do !== 'raise-priority' && st.priority !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [...at, 'steps', j, 'priority'],
            message: `priority applies to raise-priority steps only, not ${st.do}`,
          });
      });
    });
  });
export type Charter = z.infer<typeof CharterSchema>;
export type CharterInput = z.input<typeof CharterSchema>;

export const DEFAULT_CHARTER: Charter = CharterSchema.parse({});

/** A charter record as the app stored it in this dialect. */
export const AppCharterRecordSchema = z.object({
  version: z.number().int().min(1),
  charter: CharterSchema,
  yaml: z.string(),
  updatedAt: z.number().int(),
  updatedBy: z.string(),
});
