import type { AsyncEvent, InvocationError } from '@forge/events';
import { processWorkItem } from '../app/process-work-item.ts';
import { forgeDeps } from './forge-deps.ts';
import { retryable } from '../platform/invocation-retry.ts';

/**
 * `consumer` of the `baton-work` queue (`function:` form, `@forge/events` 2.x and later): Forge invokes
 * it with an `AsyncEvent` (`body` as pushed, `jobId`, `eventId`, `retryContext` on a redelivery)
 * (https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api-version-2-upgrade).
 * Watchdog fan-out batches, dry runs and dashboard refreshes; 900 s (`timeoutSeconds` in manifest.yml).
 */
export async function workConsumer(event: AsyncEvent): Promise<{ done: string[] } | InvocationError> {
  return retryable(() => processWorkItem(forgeDeps({ budgetMs: 900_000 }), event.body));
}
