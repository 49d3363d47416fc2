import { retrainRouterModels } from '../app/router-model.ts';
import { forgeDeps } from '../platform/forge-deps.ts';

/**
 * `scheduledTrigger` (daily, 55 s): each project's router model, retrained on the `baton-work` queue
 * when it is a week old or was never trained (`retrainIfDue`); the training itself runs in the consumer.
 */
export async function routerRetrain(): Promise<void> {
  await retrainRouterModels(forgeDeps({ budgetMs: 55_000 }));
}
