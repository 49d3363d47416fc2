import { proposeUpdates } from '../../agent/concierge/concierge-proposals.ts';
import type { ReplayPattern } from '../replay.ts';

/** The concierge for the replay engine: reacts to every event that changes something meaningful. */
export const conciergePattern: ReplayPattern = {
  id: 'concierge',
  name: 'concierge',
  onEvent(c, _event, before, ctx) {
    // A case's first event is its creation: welcoming it is the router's job, not news.
    if (before.eventCount === 0) return [];
    const priority = c.record.attributes['priority'];
    return proposeUpdates(before, c.snapshot, ctx.charter, typeof priority === 'string' ? { priority } : {});
  },
};
