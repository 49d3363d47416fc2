import { InvocationError, InvocationErrorCode } from '@forge/events';
import { Resolver } from '../platform/resolver-class.ts';
import { RateLimitedError } from '@baton/jira';
import { processWorkItem } from '../app/process-work-item.ts';
import { forgeDeps } from '../platform/forge-deps.ts';
import { WORK_QUEUE } from '../platform/work-queue.ts';

const resolver = new Resolver();
resolver.define(WORK_QUEUE, async ({ payload }) => {
  try {
    return await processWorkItem(forgeDeps(), payload);
  } catch (e) {
    // Ask the queue to redeliver after Jira's Retry-After instead of failing the batch.
    if (e instanceof RateLimitedError) {
      return new InvocationError({
        retryAfter: Math.max(1, e.retryAfter ?? 30),
        retryReason: InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED,
      });
    }
    throw e;
  }
});

/** `consumer` of the `baton-work` queue: watchdog fan-out batches and dry runs (900 s budget). */
export const workConsumer = resolver.getDefinitions();
