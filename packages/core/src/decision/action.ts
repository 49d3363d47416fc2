import * as z from 'zod';

/**
 * What a pattern may propose doing to a case. Each kind declares its own traits (below) so that the
 * charter gate stays generic: it asks "is this customer-facing? does it touch money or priority?
 * is it a nudge?" and never switches on the kind itself.
 */
export const AssignActionSchema = z.object({
  kind: z.literal('assign'),
  /** Person (account id / user name) or queue/team id. */
  to: z.string().min(1),
  team: z.string().optional(),
});
export const CommentActionSchema = z.object({
  kind: z.literal('comment'),
  body: z.string().min(1),
  /** `customer` comments are visible to the reporter/customer; `internal` ones only to the team. */
  audience: z.enum(['internal', 'customer']),
  /** The person the comment is written to (a handoff's new owner): mentioned, so that the tracker tells them. */
  to: z.string().min(1).optional(),
});
export const TransitionActionSchema = z.object({ kind: z.literal('transition'), to: z.string().min(1) });
export const SetFieldActionSchema = z.object({
  kind: z.literal('setField'),
  field: z.string().min(1),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});
export const AddLabelActionSchema = z.object({ kind: z.literal('addLabel'), label: z.string().min(1) });
export const RequestInfoActionSchema = z.object({
  kind: z.literal('requestInfo'),
  /** Who is asked (usually the reporter). */
  from: z.string().min(1),
  items: z.array(z.string()).min(1),
  message: z.string().min(1),
});
export const NotifyActionSchema = z.object({
  kind: z.literal('notify'),
  to: z.string().min(1),
  message: z.string().min(1),
  /**
   * `email`: by the tracker's own notification email (Jira's notify), not a comment on the case: the
   * person reads it in their inbox, nobody else on the case sees it. Absent: the tracker's usual way
   * (a comment that mentions them).
   */
  via: z.literal('email').optional(),
  /** The email's subject (`via: email`). */
  subject: z.string().min(1).optional(),
  /**
   * The clerk's handoff packet to a new owner: work handed over, not a reminder. It is no nudge: it
   * takes nothing from the caps and is not held by a recent touch or quiet hours (as a handoff comment).
   */
  handoff: z.literal(true).optional(),
});
export const EscalateActionSchema = z.object({
  kind: z.literal('escalate'),
  to: z.string().min(1),
  message: z.string().min(1),
});

export const ActionSchema = z.discriminatedUnion('kind', [
  AssignActionSchema,
  CommentActionSchema,
  TransitionActionSchema,
  SetFieldActionSchema,
  AddLabelActionSchema,
  RequestInfoActionSchema,
  NotifyActionSchema,
  EscalateActionSchema,
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionKind = Action['kind'];
export const ACTION_KINDS = [
  'assign',
  'comment',
  'transition',
  'setField',
  'addLabel',
  'requestInfo',
  'notify',
  'escalate',
] as const satisfies readonly ActionKind[];
export const ActionKindSchema = z.enum(ACTION_KINDS);

/** What the gate needs to know about an action, declared by the action's kind. */
export interface ActionTraits {
  /** Seen by the customer/reporter: never automated unless the charter allows it. */
  readonly customerFacing: boolean;
  /** Fields the action writes (checked against the charter's money and priority fields). */
  readonly fields: readonly string[];
  /** A message to a person about the case: counts against caps, waits out quiet hours. */
  readonly nudge: boolean;
  /** The person who receives it, for per-person caps. */
  readonly recipient: string | null;
  /** A one-line description for CSVs, the audit and the panel. */
  readonly summary: string;
}

type TraitsOf = { [K in ActionKind]: (a: Extract<Action, { kind: K }>) => ActionTraits };

const NONE: readonly string[] = [];

/** Each kind's traits. Adding a kind means adding its schema and a line here; the gate is unchanged. */
export const ACTION_TRAITS: TraitsOf = {
  assign: (a) => ({
    customerFacing: false,
    fields: ['assignee'],
    nudge: false,
    recipient: a.to,
    summary: `assign to ${a.to}`,
  }),
  comment: (a) => ({
    customerFacing: a.audience === 'customer',
    fields: NONE,
    nudge: false,
    recipient: null,
    summary: `${a.audience} comment`,
  }),
  transition: (a) => ({
    customerFacing: false,
    fields: ['status'],
    nudge: false,
    recipient: null,
    summary: `transition to ${a.to}`,
  }),
  setField: (a) => ({
    customerFacing: false,
    fields: [a.field],
    nudge: false,
    recipient: null,
    summary: `set ${a.field} = ${String(a.value)}`,
  }),
  addLabel: (a) => ({
    customerFacing: false,
    fields: ['labels'],
    nudge: false,
    recipient: null,
    summary: `add label ${a.label}`,
  }),
  requestInfo: (a) => ({
    customerFacing: true,
    fields: NONE,
    nudge: true,
    recipient: a.from,
    summary: `request ${a.items.join(', ')} from ${a.from}`,
  }),
  notify: (a) => ({
    customerFacing: false,
    fields: NONE,
    nudge: a.handoff !== true,
    recipient: a.to,
    summary: a.via === 'email' ? `email ${a.to}` : `notify ${a.to}`,
  }),
  escalate: (a) => ({
    customerFacing: false,
    fields: NONE,
    nudge: true,
    recipient: a.to,
    summary: `escalate to ${a.to}`,
  }),
};

/** The traits of any action (the single place that dispatches on `kind`, through the table). */
export function traitsOf(action: Action): ActionTraits {
  return (ACTION_TRAITS[action.kind] as (a: Action) => ActionTraits)(action);
}
