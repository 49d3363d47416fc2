import { Queue } from '@forge/events';
import type { WorkQueue } from '../ports/work-queue.ts';

/** The one queue (`baton-work` in manifest.yml): watchdog fan-out, long dry runs, dashboard refreshes, chat answers. */
export const WORK_QUEUE = 'baton-work';

export function createWorkQueue(): WorkQueue {
  const queue = new Queue({ key: WORK_QUEUE });
  return {
    async push(items) {
      // The platform takes at most 50 events per push.
      for (let i = 0; i < items.length; i += 50) await queue.push(items.slice(i, i + 50).map((body) => ({ body })));
    },
  };
}
