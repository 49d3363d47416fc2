import {
  ROUTING_TARGETS,
  fromModelFile,
  routingInputFromCase,
  toModelFile,
  trainRouterModel,
} from '@baton/core/classify';
import type { RouterModel, RoutingInput, TrainingExample } from '@baton/core/classify';
import { mapIssue } from '@baton/jira';
import * as z from 'zod';
import type { StoredRouterModel } from '../contracts/router-model.ts';
import type { RecordStore } from '../ports/record-store.ts';
import type { RouterModelStore } from '../ports/router-model-store.ts';
import type { RouterTrainWorkItem } from '../contracts/work-item.ts';
import type { AppDeps } from './app-deps.ts';
import { projectsInScope } from './charter-for.ts';
import {
  LearningRunBaseSchema,
  getLearningRun,
  runLearningStep,
  saveLearningRun,
  startLearningRun,
  startLearningRunIfDue,
} from './learning-run.ts';
import type { LearningRunKind } from './learning-run.ts';

/** Resolved issues per JQL page, and per checkpoint: a redelivered or continued step redoes at most one page. */
export const ROUTER_TRAIN_PAGE_SIZE = 100;
/**
 * A step reads another page only with this much of the consumer's 900 s left: the last step also
 * trains (seconds on a few thousand issues) and writes the model in parts.
 */
export const ROUTER_TRAIN_RESERVE_MS = 240_000;
/**
 * The newest this many resolved issues train the model (newest first): a project's recent routing is
 * the one to learn, and the pages kept between steps stay a few megabytes of app storage.
 */
export const ROUTER_TRAIN_MAX_ISSUES = 5000;
/** A training run that has not moved for this long is presumed lost: a new one may start. */
export const ROUTER_TRAIN_STALE_MS = 30 * 60_000;
/** Retrained when the stored model is older than this (the watchdog's schedule asks, `routerModelDue`). */
export const ROUTER_RETRAIN_AFTER_MS = 7 * 86_400_000;
/** Retrained once this many router suggestions were overridden since the model was trained. */
export const ROUTER_RETRAIN_OVERRIDES = 20;
/**
 * Model bytes per target. Stored in parts under Forge's 240 KiB per value (`RecordStore.putLargeJson`), so the
 * limit is the invocation's read time, not the value size: five parts per target per event.
 */
export const ROUTER_MODEL_MAX_BYTES = 600_000;
/** Text kept per resolved issue between steps (the model reads at most this much of the body). */
const MAX_BODY_CHARS = 2000;
/** The fields a training example needs: text, the labels (component, assignee) and creation-time features. */
const TRAIN_FIELDS = [
  'summary',
  'description',
  'components',
  'assignee',
  'issuetype',
  'labels',
  'reporter',
  'priority',
  'status',
  'created',
  'resolution',
  'resolutiondate',
];

const key = {
  run: (projectKey: string) => `router-model:${projectKey}:run`,
  page: (projectKey: string, runId: string, page: number) => `router-model:${projectKey}:${runId}:page:${page}`,
  overrides: (projectKey: string) => `router-model:${projectKey}:overrides`,
};

const RunSchema = LearningRunBaseSchema.extend({ examples: z.number().int().min(0) });
export type RouterTrainRun = z.infer<typeof RunSchema>;

const InputSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: z.number().optional(),
  fields: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});
const PageSchema = z.object({ inputs: z.array(InputSchema) });

/** Issue keys whose router suggestion a person overrode since the last training (their final labels weigh more). */
const OverridesSchema = z.object({ keys: z.array(z.string()) });

export type { StoredRouterModel };

/** The project's trained router, ready for the router: models and skills history. */
export interface TrainedRouter {
  readonly trainedAt: number;
  readonly examples: number;
  readonly models: readonly RouterModel[];
  readonly skills: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** Router training as a learning run: its stored run, queue item and how far each step reads. */
const TRAINING: LearningRunKind<'examples'> = {
  kind: 'router-train',
  schema: RunSchema,
  counter: 'examples',
  runKey: key.run,
  fields: TRAIN_FIELDS,
  pageSize: ROUTER_TRAIN_PAGE_SIZE,
  maxIssues: ROUTER_TRAIN_MAX_ISSUES,
  reserveMs: ROUTER_TRAIN_RESERVE_MS,
  staleMs: ROUTER_TRAIN_STALE_MS,
  redoAfterMs: ROUTER_RETRAIN_AFTER_MS,
};

const getRun = (storage: RecordStore, projectKey: string): Promise<RouterTrainRun | undefined> =>
  getLearningRun(storage, TRAINING, projectKey);

/** The project's training run as it stands (the admin's progress), or undefined when none ever started. */
export const routerTrainRun = getRun;

/**
 * Starts training the project's router model on the queue, or joins the run in progress. `reason`
 * is what asked for it (the schedule, overrides, an admin), kept on the run for the admin page.
 */
export const startRouterTraining = (deps: AppDeps, projectKey: string, reason: string): Promise<RouterTrainRun> =>
  startLearningRun(deps, TRAINING, projectKey, reason);

/** A resolved issue as a training input: its text (trimmed), creation time and the fields the targets read. */
function inputOf(raw: unknown): RoutingInput | null {
  const mapped = mapIssue(raw, { source: 'jira:forge' });
  if (!mapped.ok) return null;
  const input = routingInputFromCase(mapped.value.record);
  const fields: Record<string, string | string[]> = {};
  for (const f of ['components', 'assignee', 'issuetype', 'labels', 'reporter', 'project']) {
    const v = input.fields[f];
    if (v !== undefined) fields[f] = typeof v === 'string' ? v : [...v];
  }
  return {
    id: input.id,
    title: input.title,
    body: input.body.slice(0, MAX_BODY_CHARS),
    ...(input.createdAt === undefined ? {} : { createdAt: input.createdAt }),
    fields,
  };
}

/**
 * One step of a training run (a `router-train` queue item, `runLearningStep`): stores each page's
 * training inputs (newest first, up to `ROUTER_TRAIN_MAX_ISSUES`); the last step trains and stores the model.
 */
export const runRouterTrainStep = (deps: AppDeps, item: RouterTrainWorkItem): Promise<RouterTrainRun | undefined> =>
  runLearningStep(deps, TRAINING, item, () =>
    Promise.resolve({
      page: (issues, run) => {
        const inputs = issues.map(inputOf).filter((i): i is RoutingInput => i !== null);
        const keep = () => deps.storage.putLargeJson(key.page(run.projectKey, run.runId, run.pagesDone), { inputs });
        return Promise.resolve({ read: inputs.length, counted: inputs.length, keep });
      },
      finish: (run) => finish(deps, run),
    }),
  );

/** Resolved issues per person per component: the owner step's skills history. */
function skillsOf(inputs: readonly RoutingInput[]): StoredRouterModel['skills'] {
  const by = new Map<string, Map<string, number>>();
  for (const i of inputs) {
    const person = i.fields['assignee'];
    const comps = i.fields['components'];
    if (typeof person !== 'string' || person === '' || comps === undefined) continue;
    const m = by.get(person) ?? new Map<string, number>();
    for (const c of typeof comps === 'string' ? [comps] : comps) m.set(c, (m.get(c) ?? 0) + 1);
    by.set(person, m);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([p, m]) => [p, [...m].sort()]);
}

/** Trains the component model from every stored page (overridden issues weigh more) and stores it. */
async function finish(deps: AppDeps, run: RouterTrainRun): Promise<RouterTrainRun> {
  const inputs: RoutingInput[] = [];
  for (let i = 0; i < run.pagesDone; i++) {
    const page = PageSchema.safeParse(await deps.storage.getLargeJson(key.page(run.projectKey, run.runId, i)));
    if (!page.success) throw new Error(`router training ${run.runId}: page ${i} is missing from storage`);
    inputs.push(...page.data.inputs);
  }
  const overridden = new Set(
    OverridesSchema.safeParse(await deps.storage.getJson(key.overrides(run.projectKey))).data?.keys ?? [],
  );
  const target = ROUTING_TARGETS.component;
  const labelled = (i: RoutingInput): TrainingExample[] => {
    const label = target.label(i);
    return label === undefined ? [] : [{ input: i, label }];
  };
  const history = inputs.filter((i) => !overridden.has(i.id)).flatMap(labelled);
  const overrides = inputs.filter((i) => overridden.has(i.id)).flatMap(labelled);
  const trained = trainRouterModel(history, target, overrides, { maxBytes: ROUTER_MODEL_MAX_BYTES });
  const now = deps.now();
  if (!trained.ok) {
    const failed: RouterTrainRun = {
      ...run,
      status: 'failed',
      error: trained.issues.map((i) => i.message).join('; '),
      updatedAt: now,
    };
    await saveLearningRun(deps.storage, TRAINING, failed);
    return failed;
  }
  const stored: StoredRouterModel = {
    projectKey: run.projectKey,
    trainedAt: now,
    runId: run.runId,
    examples: history.length + overrides.length,
    overrides: overrides.length,
    models: [toModelFile(trained.value)],
    skills: skillsOf(inputs),
  };
  await deps.storage.putRouterModel(stored);
  await deps.storage.putJson(key.overrides(run.projectKey), { keys: [] });
  const done: RouterTrainRun = { ...run, status: 'done', updatedAt: now };
  await saveLearningRun(deps.storage, TRAINING, done);
  for (let i = 0; i < run.pagesDone; i++) await deps.storage.deleteLargeJson(key.page(run.projectKey, run.runId, i));
  return done;
}

/** The project's stored training as kept (model files, counts), for the admin's view; undefined when none was stored. */
export const storedRouterModel = (
  storage: RouterModelStore,
  projectKey: string,
): Promise<StoredRouterModel | undefined> => storage.getRouterModel(projectKey);

/** The project's stored model and skills history, or undefined when none was trained (or it no longer loads). */
export async function loadTrainedRouter(
  storage: RouterModelStore,
  projectKey: string,
): Promise<TrainedRouter | undefined> {
  const stored = await storage.getRouterModel(projectKey);
  if (stored === undefined) return undefined;
  const models: RouterModel[] = [];
  for (const file of stored.models) {
    const m = fromModelFile(file);
    if (m.ok) models.push(m.value);
    else console.warn(`router model ${projectKey}: ${m.issues.map((i) => i.message).join('; ')}`);
  }
  return {
    trainedAt: stored.trainedAt,
    examples: stored.examples,
    models,
    skills: new Map(stored.skills.map(([p, labels]) => [p, new Map(labels)])),
  };
}

/**
 * A person overrode a router suggestion on `issueKey`: the issue's final labels weigh more in the next
 * training, and after `ROUTER_RETRAIN_OVERRIDES` of them since the last training, a retraining starts.
 */
export async function noteRouterOverride(deps: AppDeps, issueKey: string): Promise<void> {
  const projectKey = issueKey.split('-')[0] as string;
  const keys = OverridesSchema.safeParse(await deps.storage.getJson(key.overrides(projectKey))).data?.keys ?? [];
  if (keys.includes(issueKey)) return;
  const next = [...keys, issueKey];
  await deps.storage.putJson(key.overrides(projectKey), { keys: next });
  if (next.length >= ROUTER_RETRAIN_OVERRIDES) await startRouterTraining(deps, projectKey, `${next.length} overrides`);
}

/** The scheduled tick's part: `retrainIfDue` for every project in the charter's scope. */
export async function retrainRouterModels(deps: AppDeps): Promise<void> {
  for (const projectKey of await projectsInScope(deps.storage)) await retrainIfDue(deps, projectKey);
}

/**
 * The schedule's question: a training for the project when it has no model or one older than
 * `ROUTER_RETRAIN_AFTER_MS`, unless one is running. Returns the run it started, if any.
 */
export const retrainIfDue = (deps: AppDeps, projectKey: string): Promise<RouterTrainRun | undefined> =>
  startLearningRunIfDue(deps, TRAINING, projectKey);
