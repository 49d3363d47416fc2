import * as z from 'zod';
import { strictObject } from '../strict-object.ts';
import type { StateCategoryHints } from './case.ts';

/** Where a case stands: waiting in a queue, being worked, waiting on someone, finished. */
export const PHASES = ['queue', 'active', 'waiting', 'done'] as const;
export const PhaseSchema = z.enum(PHASES);
export type Phase = z.infer<typeof PhaseSchema>;

export const WAITING_REASONS = ['customer', 'vendor', 'approval', 'internal'] as const;
export const WaitingReasonSchema = z.enum(WAITING_REASONS);
export type WaitingReason = z.infer<typeof WaitingReasonSchema>;

const BLOCKED_PREFIX = 'Blocked: waiting on ';

/**
 * The state a case is in, for Baton, while a person has said it is blocked ("Blocked by…" in chat) and
 * its workflow state has not moved since: the time counts as waiting on that reason in analyses, SLA
 * clocks paused on it pause, and the watchdog starts a new visit (docs/adr/0019). Sources name it in
 * their events' `state` (the Jira mapper, from Baton's issue property); no workflow has such a status.
 * @example blockedState('vendor') // 'Blocked: waiting on vendor'
 */
export function blockedState(reason: WaitingReason): string {
  return `${BLOCKED_PREFIX}${reason}`;
}

/** The waiting reason of a `blockedState` name, or undefined for any other state. */
export function blockedReasonOf(state: string): WaitingReason | undefined {
  if (!state.startsWith(BLOCKED_PREFIX)) return undefined;
  const reason = WaitingReasonSchema.safeParse(state.slice(BLOCKED_PREFIX.length));
  return reason.success ? reason.data : undefined;
}

export const StateMappingSchema = z.object({
  phase: PhaseSchema,
  waitingReason: WaitingReasonSchema.optional(),
});
export type StateMapping = z.infer<typeof StateMappingSchema>;

/** status/activity name → phase. Keys are matched case-insensitively. */
export const WorkflowMapSchema = strictObject({
  states: z.record(z.string(), strictObject(StateMappingSchema.shape)),
});
export type WorkflowMap = z.infer<typeof WorkflowMapSchema>;

const DONE = /\b(done|closed?|resolved|complete[d]?|cancel+ed|finished|rejected|won'?t (do|fix)|duplicate)\b/i;
const WAITING =
  /\b(wait(ing)?|pending|on hold|hold|blocked|await(ing)? (customer|user|vendor|info|information|approval|reply|response)|needs? (more )?info)/i;
const QUEUE =
  /\b(new|open|to ?do|backlog|queued?|triage|awaiting assignment|unassigned|submitted|registered|reopened)\b/i;

function reasonOf(name: string): WaitingReason | undefined {
  if (/customer|user|client|requester|reporter/i.test(name)) return 'customer';
  if (/vendor|supplier|3rd|third|partner/i.test(name)) return 'vendor';
  if (/approv/i.test(name)) return 'approval';
  return undefined;
}

/**
 * The default mapping of one state name: Jira's status category when known, refined by the name
 * ("Waiting for customer" is `waiting` even though Jira files it under "In Progress").
 */
export function defaultStateMapping(name: string, category?: 'new' | 'indeterminate' | 'done'): StateMapping {
  const blocked = blockedReasonOf(name);
  if (blocked !== undefined) return { phase: 'waiting', waitingReason: blocked };
  if (category === 'done' || (category === undefined && DONE.test(name))) return { phase: 'done' };
  if (WAITING.test(name)) {
    const waitingReason = reasonOf(name) ?? 'internal';
    return { phase: 'waiting', waitingReason };
  }
  if (category === 'new' || (category === undefined && QUEUE.test(name))) return { phase: 'queue' };
  return { phase: 'active' };
}

/** Resolves states to phases: explicit entries first (case-insensitive), then the default rules. */
export interface WorkflowResolver {
  (state: string): StateMapping;
}

export function createWorkflowResolver(map?: WorkflowMap, hints?: StateCategoryHints): WorkflowResolver {
  const explicit = new Map<string, StateMapping>();
  for (const [name, m] of Object.entries(map?.states ?? {})) explicit.set(name.toLowerCase(), m);
  const cache = new Map<string, StateMapping>();
  return (state) => {
    let m = cache.get(state);
    if (m === undefined) {
      m = explicit.get(state.toLowerCase()) ?? defaultStateMapping(state, hints?.get(state));
      cache.set(state, m);
    }
    return m;
  };
}
