import type { InvocationError } from '@forge/events';
import { handleIssueEvent } from '../app/handle-issue-event.ts';
import type { EventResult } from '../app/handle-issue-event.ts';
import { forgeDeps } from './forge-deps.ts';
import { retryable } from '../platform/invocation-retry.ts';

/**
 * `trigger` for the product events in PRODUCT_EVENTS (25 s). A transient failure is returned as an
 * InvocationError, which is what makes Forge redeliver (a thrown error would not); effects are keyed.
 */
export async function onIssueEvent(event: unknown): Promise<EventResult | InvocationError> {
  return retryable(() => handleIssueEvent(forgeDeps({ budgetMs: 25_000 }), event));
}
