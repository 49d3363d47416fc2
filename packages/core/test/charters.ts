import type { Charter } from '../src/charter/charter-schema.ts';
import { parseCharter } from '../src/charter/parse-charter.ts';

/** A v2 charter from a test's plain object, through the real parser; a test charter that does not parse is a bug in the test. */
export function charterOf(doc: Record<string, unknown>): Charter {
  const r = parseCharter({ version: 2, ...doc });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

/** The workflow map of the BPIC 2013 incident log's states (activity/lifecycle), as the example charter reads them. */
export const BPIC_WORKFLOW = {
  states: {
    'Accepted/In Progress': { phase: 'active' },
    'Accepted/Assigned': { phase: 'active' },
    'Accepted/Wait': { phase: 'waiting', waitingReason: 'internal' },
    'Accepted/Wait - User': { phase: 'waiting', waitingReason: 'customer' },
    'Accepted/Wait - Implementation': { phase: 'waiting', waitingReason: 'internal' },
    'Queued/Awaiting Assignment': { phase: 'queue' },
    'Completed/Resolved': { phase: 'done' },
    'Completed/Closed': { phase: 'done' },
  },
} as const;
