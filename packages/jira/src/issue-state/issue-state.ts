import * as z from 'zod';
import { ISSUE_PROPERTY_MAX_CHARS } from '../client/limits.ts';
import { SLA_STATES, worstClock } from './sla-display.ts';
import type { SlaState } from './sla-display.ts';
import { PacketViewSchema, ReadyItemSchema } from './views.ts';
import { SuggestionSchema, readSuggestion } from './suggestion.ts';
import type { Suggestion } from './suggestion.ts';

export { SUGGESTION_VERSION, SuggestionSchema, readSuggestion } from './suggestion.ts';
export type { Suggestion, SuggestionProblem } from './suggestion.ts';
export { SuggestionV1Schema, migrateSuggestionV1 } from './suggestion-v1.ts';

export { SLA_STATES, SLA_WORDS, slaDisplay, slaRiskOf, worstClock } from './sla-display.ts';
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

export const RecentOutcomeSchema = z.object({ key: z.string(), kind: z.string(), outcome: z.string(), at: z.number() });

/** What the app writes: every field checked (`IssueStateSchema` reads it, older suggestions migrated). */
export const IssueStateObjectSchema = z.object({
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

/**
 * A state written before suggestions held core's decision carries version-1 suggestions: each is
 * migrated for the issue the state is about (version 1 did not record it); one that cannot be is
 * left for the schema to refuse (the writer's) or drop (the reader's).
 */
function upgradeSuggestions(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as { issueKey?: unknown; suggestions?: unknown };
  if (typeof v.issueKey !== 'string' || !Array.isArray(v.suggestions)) return value;
  const issueKey = v.issueKey;
  return {
    ...v,
    suggestions: v.suggestions.map((x: unknown) => {
      if (typeof x !== 'object' || x === null || 'version' in x) return x;
      const r = readSuggestion(x, issueKey);
      return r.ok ? r.value : x;
    }),
  };
}

/** The property as the app reads and writes it: the writer's schema, version-1 suggestions migrated first. */
export const IssueStateSchema = z.preprocess(upgradeSuggestions, IssueStateObjectSchema);
export type IssueState = z.infer<typeof IssueStateObjectSchema>;

/**
 * Keeps the state under Jira's property limit: drops the oldest history first, then the
 * lowest-confidence suggestions, then truncates texts, then the packet. What survives is what an
 * agent needs first.
 */
export function fitIssueState(state: IssueState, limit = ISSUE_PROPERTY_MAX_CHARS): IssueState {
  const size = (s: IssueState): number => JSON.stringify(s).length;
  let s: IssueState = { ...state, recent: [...state.recent], suggestions: [...state.suggestions] };
  while (size(s) > limit && s.recent.length > 0) s = { ...s, recent: s.recent.slice(1) };
  s.suggestions.sort((a, b) => b.decision.confidence - a.decision.confidence);
  while (size(s) > limit && s.suggestions.length > 1) s = { ...s, suggestions: s.suggestions.slice(0, -1) };
  if (size(s) > limit) {
    s = { ...s, suggestions: s.suggestions.map(shortened) };
  }
  if (size(s) > limit && s.packet !== undefined) {
    const { packet: _dropped, ...rest } = s;
    s = rest;
  }
  if (size(s) > limit) s = { ...s, suggestions: [], ready: [] };
  return s;
}

const TEXT_CUT = 200;
const cut = (t: string): string => t.slice(0, TEXT_CUT);

/** A suggestion's texts cut short for the property (app storage keeps it whole: Accept carries that one out). */
function shortened(x: Suggestion): Suggestion {
  const d = x.decision;
  return {
    ...x,
    summary: cut(x.summary),
    decision: {
      ...d,
      reason: cut(d.reason),
      evidence: d.evidence.slice(0, 3),
      // Every text of an action (a comment's body, a nudge's message) cut alike: ids and kinds are short.
      actions: d.actions.map(
        (a) =>
          Object.fromEntries(
            Object.entries(a).map(([k, v]) => [k, typeof v === 'string' && k !== 'kind' ? cut(v) : v]),
          ) as typeof a,
      ),
    },
  };
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

export const IssueStateReadObjectSchema = z.object({
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

export const IssueStateReadSchema = z.preprocess(upgradeSuggestions, IssueStateReadObjectSchema);

/** The property as a reader sees it, or undefined when there is none or it is of no version this reader knows. */
export function readIssueState(value: unknown): IssueState | undefined {
  if (value === undefined || value === null) return undefined;
  const r = IssueStateReadSchema.safeParse(value);
  return r.success ? r.data : undefined;
}
