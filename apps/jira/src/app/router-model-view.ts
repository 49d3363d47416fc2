import { fromModelFile } from '@baton/core/classify';
import type { RouterModel } from '@baton/core/classify';
import type { RouterModelView, RouterTargetView } from '../contracts/router-model.ts';
import type { RecordStore } from '../ports/record-store.ts';
import type { RouterModelStore } from '../ports/router-model-store.ts';
import { routerTrainRun, storedRouterModel } from './router-model.ts';

/** Top-1 accuracy on the held-out slice: each reliability bin's hits, summed. Null when nothing was held out. */
const accuracyOf = (c: RouterModel['calibration']): number | null =>
  c.count === 0 ? null : c.bins.reduce((hits, b) => hits + b.count * b.accuracy, 0) / c.count;

function targetView(f: RouterModel): RouterTargetView {
  const lines = f.calibration.lines;
  return {
    target: f.target,
    kind: f.kind,
    modelId: f.modelId,
    labels: f.linear.classes.length,
    trainedOn: f.trainedOn,
    heldOut: f.calibration.count,
    accuracy: accuracyOf(f.calibration),
    ece: f.calibration.ece,
    act: { line: f.thresholds.act, measured: lines?.act ?? null },
    suggest: { line: f.thresholds.suggest, measured: lines?.suggest ?? null },
  };
}

/**
 * The project's router model as the admin reads it: when it was trained, on how many of the project's
 * resolved issues (and overrides, over which period), each model's held-out accuracy and the coverage
 * and precision at its act and suggest lines; and the latest training run (why it ran, how far, or why
 * it failed). Reads only what training stored; never trains.
 */
export async function routerModelView(
  storage: RecordStore & RouterModelStore,
  projectKey: string,
): Promise<RouterModelView> {
  const [stored, run] = await Promise.all([
    storedRouterModel(storage, projectKey),
    routerTrainRun(storage, projectKey),
  ]);
  return {
    projectKey,
    model:
      stored === undefined
        ? null
        : {
            trainedAt: stored.trainedAt,
            examples: stored.examples,
            overrides: stored.overrides,
            people: stored.skills.length,
            // Each file read as the router reads it (checked whole); one that no longer loads is left out.
            targets: stored.models.flatMap((file) => {
              const m = fromModelFile(file);
              return m.ok ? [targetView(m.value)] : [];
            }),
          },
    run:
      run === undefined
        ? null
        : {
            status: run.status,
            reason: run.reason,
            examples: run.examples,
            startedAt: run.startedAt,
            updatedAt: run.updatedAt,
            ...(run.error === undefined ? {} : { error: run.error }),
          },
  };
}
