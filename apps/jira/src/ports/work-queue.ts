import type { WorkItem } from '../contracts/work-item.ts';

/** The app's one queue: work that outlasts an invocation (fan-out, long runs, chat answers) goes on it. */
export interface WorkQueue {
  push(items: WorkItem[]): Promise<void>;
}
