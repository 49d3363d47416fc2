import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatIssue } from '@baton/core';
import {
  MODEL_KINDS,
  ROUTING_TARGETS,
  evaluateRanker,
  predict,
  toModelFile,
  trainCentroidBaseline,
  trainMajorityBaseline,
  trainRouterModel,
  withPredictedComponent,
  type LabelRanker,
  type ModelKind,
  type RouterModel,
  type RoutingInput,
  type RoutingTarget,
  type RoutingTargetName,
  type TrainingExample,
} from '@baton/core/classify';
import { CliError, defineCommand } from '../command.ts';
import { refuseOverwritingInputs } from '../output/output-target.ts';
import { loadLabelledFile, type LoadedInputs } from './route-eval-input.ts';
import { formatRouteEval, type RouteEvalReport } from './route-eval-report.ts';

const FIELDS = ['component', 'priority', 'issuetype', 'assignee', 'needsinfo'] as const;

const HELP = `Usage: baton route-eval --train <file> [--test <file> | --split-date YYYY-MM-DD] --field <field> [options]

Trains the router's classifier on older issues and measures it on newer ones, beside two baselines
(majority class, TF-IDF nearest centroid) computed the same way.

Input: a Jira export (JSON array, {"issues": [...]}, or JSONL; .gz is fine) or a CSV with
title, body, label columns (then --field is not needed; file order is taken as time order).

Options:
  --train <file>          training issues (required)
  --test <file>           test issues; without it, --split-date splits --train by creation date
  --split-date <date>     issues created before this date train, the rest test
  --field <field>         component | priority | issuetype | assignee | needsinfo
  --threshold <p>         confidence at which the router would act (default 0.6)
  --model <kind>          softmax (default) | cnb (complement naive Bayes)
  --save-model <file>     write the trained model (JSON, format version in the file)
  --max-model-mb <n>      size budget of the model file (default 2); fewer hashed rows are kept to meet it
  --json                  print the report as JSON

Example:
  baton route-eval --train appcelerator.jsonl.gz --split-date 2016-01-01 --field component
`;

function labelled(inputs: readonly RoutingInput[], target: RoutingTarget): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const input of inputs) {
    const label = target.label(input);
    if (label !== undefined) out.push({ input, label });
  }
  return out;
}

function modelRanker(
  model: RouterModel,
  name: string,
  prepare: (i: RoutingInput) => RoutingInput = (i) => i,
): LabelRanker {
  return { name, classes: model.linear.classes, predict: (input) => predict(model, prepare(input)) };
}

function unwrap(result: ReturnType<typeof trainRouterModel>): RouterModel {
  if (!result.ok) throw new CliError(result.issues.map(formatIssue).join('\n'));
  return result.value;
}

const day = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString().slice(0, 10));

export const routeEvalCommand = defineCommand({
  name: 'route-eval',
  summary: 'train the router on older issues, measure it on newer ones (accuracy, calibration, baselines)',
  help: HELP,
  options: {
    train: { type: 'string' },
    test: { type: 'string' },
    'split-date': { type: 'string' },
    field: { type: 'string' },
    threshold: { type: 'string' },
    model: { type: 'string' },
    'save-model': { type: 'string' },
    'max-model-mb': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const trainPath = values['train'] as string | undefined;
    const testPath = values['test'] as string | undefined;
    const splitText = values['split-date'] as string | undefined;
    if (trainPath === undefined) throw new CliError('--train <file> is required', 2);
    const threshold = values['threshold'] === undefined ? 0.6 : Number(values['threshold']);
    if (!(threshold >= 0 && threshold <= 1)) throw new CliError('--threshold must be a number between 0 and 1', 2);
    const kind = (values['model'] as string | undefined) ?? 'softmax';
    if (!(MODEL_KINDS as readonly string[]).includes(kind)) {
      throw new CliError(`--model must be one of ${MODEL_KINDS.join(', ')}`, 2);
    }
    const maxMb = values['max-model-mb'] === undefined ? 2 : Number(values['max-model-mb']);
    if (!(maxMb > 0.05 && maxMb <= 1000))
      throw new CliError('--max-model-mb must be a number of megabytes above 0.05', 2);
    const trainOptions = { kind: kind as ModelKind, maxBytes: Math.round(maxMb * 1e6) };
    const split = splitText === undefined ? undefined : Date.parse(`${splitText}T00:00:00Z`);
    if (split !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(splitText!) || Number.isNaN(split))) {
      throw new CliError(`--split-date must be a date like 2016-01-01, got '${splitText}'`, 2);
    }
    if (testPath === undefined && split === undefined) {
      throw new CliError('give --test <file>, or --split-date YYYY-MM-DD to split --train by creation date', 2);
    }

    const savePath = values['save-model'] as string | undefined;
    if (savePath !== undefined)
      await refuseOverwritingInputs(resolve(io.cwd, savePath), '--save-model', [
        { path: resolve(io.cwd, trainPath), role: '--train file' },
        ...(testPath === undefined ? [] : [{ path: resolve(io.cwd, testPath), role: '--test file' }]),
      ]);
    const train = await loadLabelledFile(resolve(io.cwd, trainPath));
    const test: LoadedInputs | undefined =
      testPath === undefined ? undefined : await loadLabelledFile(resolve(io.cwd, testPath));
    let fieldName = values['field'] as string | undefined;
    if (train.format === 'csv') fieldName = 'label';
    else if (fieldName === undefined || !(FIELDS as readonly string[]).includes(fieldName)) {
      throw new CliError(`--field must be one of ${FIELDS.join(', ')}${fieldName ? `, got '${fieldName}'` : ''}`, 2);
    }
    if (test !== undefined && test.format !== train.format) {
      throw new CliError(
        `${test.file}: is ${test.format} but --train is ${train.format}; use the same kind of file`,
        2,
      );
    }
    const target = ROUTING_TARGETS[fieldName as RoutingTargetName];

    let trainInputs = train.inputs;
    let testInputs = test?.inputs ?? [];
    if (test === undefined && split !== undefined) {
      if (train.format === 'csv') throw new CliError(`${train.file}: CSV has no creation dates; give --test <file>`, 2);
      trainInputs = train.inputs.filter((i) => (i.createdAt ?? 0) < split);
      testInputs = train.inputs.filter((i) => (i.createdAt ?? 0) >= split);
    }
    const trainExamples = labelled(trainInputs, target);
    const testExamples = labelled(testInputs, target);
    if (trainExamples.length === 0)
      throw new CliError(`${train.file}: no training issues have a '${target.name}' label`);
    if (testExamples.length === 0) {
      throw new CliError(
        `${test?.file ?? train.file}: no test issues have a '${target.name}' label${split === undefined ? '' : ` on or after ${splitText}`}`,
      );
    }

    const started = performance.now();
    const model = unwrap(trainRouterModel(trainExamples, target, [], trainOptions));
    let prepare: ((i: RoutingInput) => RoutingInput) | undefined;
    if (target.name === 'assignee') {
      // Queue first, then person: the test issue's component is hidden and predicted, as it would be at creation.
      const componentModel = unwrap(
        trainRouterModel(labelled(trainInputs, ROUTING_TARGETS.component), ROUTING_TARGETS.component, [], trainOptions),
      );
      prepare = (i) => withPredictedComponent({ ...i, fields: { ...i.fields, components: [] } }, componentModel);
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const rankers = [
      modelRanker(model, `model (${kind})`, prepare),
      trainCentroidBaseline(trainExamples),
      trainMajorityBaseline(trainExamples),
    ];
    const positiveLabel = target.name === 'needsinfo' ? 'needs-info' : undefined;
    const evaluations = rankers.map((r) =>
      evaluateRanker(r, testExamples, positiveLabel === undefined ? { threshold } : { threshold, positiveLabel }),
    );

    const classes = new Set(model.linear.classes);
    const unknown = new Map<string, number>();
    for (const e of testExamples) if (!classes.has(e.label)) unknown.set(e.label, (unknown.get(e.label) ?? 0) + 1);
    const file = toModelFile(model);
    const text = JSON.stringify(file);
    if (savePath !== undefined) await writeFile(resolve(io.cwd, savePath), text);
    const times = (xs: readonly TrainingExample[]) =>
      xs.map((e) => e.input.createdAt).filter((t): t is number => t !== undefined);
    const span = (xs: readonly TrainingExample[]) => {
      const t = times(xs);
      return t.length === 0
        ? ''
        : `${day(t.reduce((a, b) => Math.min(a, b)))} → ${day(t.reduce((a, b) => Math.max(a, b)))}`;
    };
    const report: RouteEvalReport = {
      field: target.name,
      train: {
        file: train.file,
        examples: trainExamples.length,
        span: train.format === 'csv' ? '' : span(trainExamples),
      },
      test: {
        file: test?.file ?? train.file,
        examples: testExamples.length,
        span: train.format === 'csv' ? '' : span(testExamples),
      },
      splitDate: splitText ?? null,
      threshold,
      model: {
        kind: model.kind,
        modelId: model.modelId,
        classes: model.linear.classes.length,
        rowsKept: model.quantized.rows.length,
        bytes: text.length,
        temperature: model.linear.temperature,
        thresholds: model.thresholds,
        calibrationEce: model.calibration.ece,
        calibrationCount: model.calibration.count,
        trainSeconds,
        savedTo: savePath ?? null,
      },
      unknownLabels: [...unknown].sort((a, b) => b[1] - a[1]).map(([label, count]) => ({ label, count })),
      skippedEmpty: train.skippedEmpty + (test?.skippedEmpty ?? 0),
      evaluations,
    };
    io.stdout(values['json'] ? `${JSON.stringify(report, null, 2)}\n` : formatRouteEval(report));
    return 0;
  },
});
