import { handleIssueEvent } from '../app/handle-issue-event.ts';
import type { EventResult } from '../app/handle-issue-event.ts';
import { forgeDeps } from '../platform/forge-deps.ts';

/** `trigger` for the product events in PRODUCT_EVENTS. A thrown error makes Forge redeliver; effects are keyed. */
export async function onIssueEvent(event: unknown): Promise<EventResult> {
  return handleIssueEvent(forgeDeps(), event);
}
