import { PATTERNS } from '@baton/core';
import * as z from 'zod';

/**
 * The per-issue state the app writes to the issue property `baton.state` and the browser extension
 * reads with the user's session. Versioned by `schema`; must stay under Jira's 32,768 characters.
 */
export const ISSUE_STATE_PROPERTY = 'baton.state';

export const SLA_STATES = ['on-track', 'at-risk', 'breached', 'paused'] as const;
export const SlaClockSchema = z.object({
  goal: z.string(),
  state: z.enum(SLA_STATES),
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
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const PacketViewSchema = z.object({
  summary: z.string(),
  decisions: z.array(z.string()),
  openQuestions: z.array(z.string()),
  links: z.array(z.object({ title: z.string(), url: z.string() })),
  nextOwner: z.string().nullable(),
  definitionOfReady: z.array(z.object({ item: z.string(), present: z.boolean() })),
  risks: z.array(z.string()).default([]),
});
export type PacketView = z.infer<typeof PacketViewSchema>;

export const IssueStateSchema = z.object({
  schema: z.literal(1),
  issueKey: z.string(),
  updatedAt: z.number(),
  phase: z.string().nullable(),
  sla: z.array(SlaClockSchema),
  suggestions: z.array(SuggestionSchema),
  /** Checklist of what the next state needs (definition of ready), when known. */
  ready: z.array(z.object({ item: z.string(), present: z.boolean() })).default([]),
  recent: z.array(z.object({ key: z.string(), kind: z.string(), outcome: z.string(), at: z.number() })),
  /** The clerk's handoff packet, compact (the shape the browser extension reads as `packet`). */
  packet: PacketViewSchema.optional(),
});
export type IssueState = z.infer<typeof IssueStateSchema>;
