import { EvidenceSchema, GateRuleSchema, PATTERNS } from '@baton/core';
import * as z from 'zod';
import { ISSUE_PROPERTY_MAX_CHARS } from '../client/limits.ts';
import { SLA_STATES, worstClock } from './sla-display.ts';
import type { SlaState } from './sla-display.ts';
import { PacketViewSchema, ReadyItemSchema } from './views.ts';

export { SLA_STATES, SLA_WORDS, slaDisplay, worstClock } from './sla-display.ts';
export type { SlaDisplay, SlaState } from './sla-display.ts';
export { PacketViewSchema, ReadyItemSchema, SlaDisplaySchema, packetView, whereFrom } from './views.ts';
export type { PacketView, ReadyItem } from './views.ts';

/**
 * The issue property `baton.state`: the one contract between the Jira app (the writer, as the app)
 * and the browser extension (the reader, with the user's session). Defined once, here; the app
 * writes with `writeIssueState`, the extension reads with `readIssueState`. Versioned by `schema`:
 * a change a reader of the previous version cannot read bumps it, and the reader keeps reading the
 * previous version until a later major version.
 */
export const ISSUE_STATE_PROPERTY = 'baton.state';
export const ISSUE_STATE_VERSION = 1;

export const SlaStateSchema = z.enum(SLA_STATES);
/** What `slaState` holds: a clock's state, or `none` when no SLA goal applies to the issue. */
export const SlaSearchStateSchema = z.enum([...SLA_STATES, 'none']);

export const SlaClockSchema = z.object({
  goal: z.string(),
  state: SlaStateSchema,
  targetMs: z.number(),
  elapsedMs: z.number(),
  /** Epoch ms when the clock breaches (or breached) while it runs, by core's `readClock`; null when paused or stopped. */
  dueAt: z.number().nullable(),
});
export type SlaClock = z.infer<typeof SlaClockSchema>;

export const SuggestionSchema = z.object({
  key: z.string(),
  kind: z.string(),
  /** The core pattern that proposed it (absent in states written before the app used core). */
  pattern: z.enum(PATTERNS).optional(),
  summary: z.string(),
  reason: z.string(),
  confidence: z.number(),
  risk: z.enum(['low', 'medium', 'high']),
  createdAt: z.number(),
  /** What accepting does, e.g. `{ assignee: 'u-ada' }`. */
  proposal: z.record(z.string(), z.unknown()),
  /**
   * Present when the charter's gate escalated the decision (risk at `escalateAt`, or confidence below
   * the suggest line) rather than merely suggesting it: the gate's rule that stopped the agent and the
   * facts the proposal used, so a person sees what was seen and why it was not done. Absent in states
   * written before escalations were told apart, and for ordinary suggestions.
   */
  escalation: z.object({ because: GateRuleSchema, evidence: z.array(EvidenceSchema) }).optional(),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const RecentOutcomeSchema = z.object({ key: z.string(), kind: z.string(), outcome: z.string(), at: z.number() });

/** What the app writes: every field checked. */
export const IssueStateSchema = z.object({
  schema: z.literal(ISSUE_STATE_VERSION),
  issueKey: z.string(),
  updatedAt: z.number(),
  phase: z.string().nullable(),
  sla: z.array(SlaClockSchema),
  suggestions: z.array(SuggestionSchema),
  /** Checklist of what the next state needs (definition of ready), when known. */
  ready: z.array(ReadyItemSchema).default([]),
  recent: z.array(RecentOutcomeSchema),
  /** The clerk's handoff packet, compact. */
  packet: z.optional(PacketViewSchema),
  /**
   * The state of the clock closest to trouble, `none` when no goal applies: set by `writeIssueState`
   * from `sla`, and indexed by the app's `jira:entityProperty` module, so JQL finds it (`batonSla = breached`).
   */
  slaState: SlaSearchStateSchema.optional(),
  /**
   * The goals whose clock is breached, and those at risk, by id: set by `writeIssueState` from `sla` and
   * indexed as arrays (Jira indexes each element), so that one goal of several is searchable on its own
   * (`batonSlaBreached = respond`).
   */
  slaBreached: z.array(z.string()).optional(),
  slaAtRisk: z.array(z.string()).optional(),
});
export type IssueState = z.infer<typeof IssueStateSchema>;

/**
 * Keeps the state under Jira's property limit: drops the oldest history first, then the
 * lowest-confidence suggestions, then truncates texts, then the packet. What survives is what an
 * agent needs first.
 */
export function fitIssueState(state: IssueState, limit = ISSUE_PROPERTY_MAX_CHARS): IssueState {
  const size = (s: IssueState): number => JSON.stringify(s).length;
  let s: IssueState = { ...state, recent: [...state.recent], suggestions: [...state.suggestions] };
  while (size(s) > limit && s.recent.length > 0) s = { ...s, recent: s.recent.slice(1) };
  s.suggestions.sort((a, b) => b.confidence - a.confidence);
  while (size(s) > limit && s.suggestions.length > 1) s = { ...s, suggestions: s.suggestions.slice(0, -1) };
  if (size(s) > limit) {
    s = {
      ...s,
      suggestions: s.suggestions.map((x) => ({
        ...x,
        reason: x.reason.slice(0, 200),
        summary: x.summary.slice(0, 200),
        proposal: {},
        ...(x.escalation === undefined
          ? {}
          : { escalation: { ...x.escalation, evidence: x.escalation.evidence.slice(0, 3) } }),
      })),
    };
  }
  if (size(s) > limit && s.packet !== undefined) {
    const { packet: _dropped, ...rest } = s;
    s = rest;
  }
  if (size(s) > limit) s = { ...s, suggestions: [], ready: [] };
  return s;
}

/** The value the app puts in the property: validated (a bad state throws, naming the field) and fitted. */
export function writeIssueState(state: IssueState, limit = ISSUE_PROPERTY_MAX_CHARS): IssueState {
  const parsed = IssueStateSchema.parse(state);
  const goalsIn = (state: SlaState): string[] => parsed.sla.filter((c) => c.state === state).map((c) => c.goal);
  return fitIssueState(
    {
      ...parsed,
      slaState: worstClock(parsed.sla)?.state ?? 'none',
      slaBreached: goalsIn('breached'),
      slaAtRisk: goalsIn('at-risk'),
    },
    limit,
  );
}

/**
 * The reader's view: the writer's schema, read leniently so that a field the app adds later never
 * breaks a reader, and a malformed part is dropped rather than shown wrong (a bad clock drops that
 * clock, a bad packet drops the packet).
 */
const lenientList = <T extends z.core.$ZodType>(item: T) =>
  z
    .array(z.unknown())
    .catch([])
    .transform((xs) =>
      xs.flatMap((x) => {
        const r = z.safeParse(item, x);
        return r.success ? [r.data as z.output<T>] : [];
      }),
    );

export const IssueStateReadSchema = z.object({
  schema: z.literal(ISSUE_STATE_VERSION),
  issueKey: z.string().catch(''),
  updatedAt: z.number().catch(0),
  phase: z.string().nullable().catch(null),
  sla: lenientList(SlaClockSchema),
  suggestions: lenientList(SuggestionSchema),
  ready: lenientList(ReadyItemSchema),
  recent: lenientList(RecentOutcomeSchema),
  packet: z.optional(PacketViewSchema).catch(undefined),
  slaState: SlaSearchStateSchema.optional().catch(undefined),
  slaBreached: z.array(z.string()).optional().catch(undefined),
  slaAtRisk: z.array(z.string()).optional().catch(undefined),
});

/** The property as a reader sees it, or undefined when there is none or it is of no version this reader knows. */
export function readIssueState(value: unknown): IssueState | undefined {
  if (value === undefined || value === null) return undefined;
  const r = IssueStateReadSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
