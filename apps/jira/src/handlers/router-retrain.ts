import { retrainRouterModels } from '../app/router-model.ts';
import { relearnStateNorms } from '../app/state-norms.ts';
import { forgeDeps } from './forge-deps.ts';

/**
 * `scheduledTrigger` (daily, 55 s): the project's learning, each part on the `baton-work` queue when it
 * is due: the router model retrained when a week old or never trained (`retrainIfDue`), and the
 * watchdog's per-state norms relearned when a week old or never learned (`relearnNormsIfDue`). Each
 * asks once; a failure of one does not keep the other from asking.
 */
export async function routerRetrain(): Promise<void> {
  const deps = forgeDeps({ budgetMs: 55_000 });
  const results = await Promise.allSettled([retrainRouterModels(deps), relearnStateNorms(deps)]);
  for (const r of results) if (r.status === 'rejected') console.error('daily learning:', r.reason);
}
