// Router classifier benchmark (prints figures; asserts nothing):
//   pnpm bench:route <export.jsonl.gz> [field ...]     (fields default to: component)
// For each field: training time on every labelled issue of the export, model file size, load time,
// and predictions per second (featurize + score + rank, one issue at a time, as the router calls it).
// Wall-clock figures suffer when the machine is shared; the CPU-time figures (process.cpuUsage) do less.
// Then every issue of the export is predicted again by the code as it was before issue 17's speed-ups
// (packages/core/test/router-reference.ts): "predictions identical: N of N" when every ranking is equal
// label for label, probabilities within 1e-12.
import { availableParallelism, cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  ROUTING_TARGETS,
  fromModelFile,
  predict,
  predictTop,
  toModelFile,
  trainRouterModel,
  type RoutingTargetName,
  type TrainingExample,
} from '@baton/core/classify';
import { rankingDifference, referencePredict } from '../../../packages/core/test/router-reference.ts';
import { loadLabelledFile } from '../src/commands/route-eval-input.ts';

/** A full collection now (`gc` exposed at run time, as `node --expose-gc` would). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const [path, ...fieldArgs] = process.argv.slice(2);
if (path === undefined) {
  console.error('usage: pnpm bench:route <export.jsonl.gz> [component|priority|issuetype|assignee|needsinfo ...]');
  process.exit(2);
}
const fields = (fieldArgs.length === 0 ? ['component'] : fieldArgs) as RoutingTargetName[];
const ms = (t0: number) => performance.now() - t0;
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c0);
  return (d.user + d.system) / 1000;
};

let t0 = performance.now();
const loaded = await loadLabelledFile(path);
console.log(`loaded ${loaded.inputs.length.toLocaleString('en-US')} issues in ${(ms(t0) / 1000).toFixed(1)} s`);
console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, Node ${process.version}`);

for (const field of fields) {
  const target = ROUTING_TARGETS[field];
  if (target === undefined) throw new Error(`unknown field ${field}`);
  const examples: TrainingExample[] = loaded.inputs.flatMap((input) => {
    const label = target.label(input);
    return label === undefined ? [] : [{ input, label }];
  });
  t0 = performance.now();
  let c0 = process.cpuUsage();
  const trained = trainRouterModel(examples, target);
  const trainMs = ms(t0);
  const trainCpu = cpuMs(c0);
  if (!trained.ok) throw new Error(trained.issues[0]!.message);
  const text = JSON.stringify(toModelFile(trained.value));
  t0 = performance.now();
  c0 = process.cpuUsage();
  const reloaded = fromModelFile(JSON.parse(text));
  const loadMs = ms(t0);
  const loadCpu = cpuMs(c0);
  if (!reloaded.ok) throw new Error(reloaded.issues[0]!.message);
  const model = reloaded.value;
  const probe = loaded.inputs.slice(0, 5000);
  // The training leaves tens of MB of garbage that V8 collects on its helper threads (which
  // process.cpuUsage counts) during whatever runs next: collected here, and its cost printed, so the
  // prediction passes time predictions (without this, the first pass counted part of it).
  c0 = process.cpuUsage();
  collectGarbage();
  const collectCpu = cpuMs(c0);
  let sink = 0;
  for (const input of probe.slice(0, 200)) sink += predict(model, input)[0]!.probability; // warm-up
  for (const input of probe.slice(0, 200)) sink += predictTop(model, input, 3)[0]!.probability;
  t0 = performance.now();
  c0 = process.cpuUsage();
  for (const input of probe) sink += predict(model, input)[0]!.probability;
  const predictMs = ms(t0);
  const predictCpu = cpuMs(c0);
  // Two more passes give a steadier figure, printed after the first's. Between them, passes of
  // predictTop(…, 3): what the router calls (it reads the top 3 labels, not the whole ranking).
  let fastestCpu = predictCpu;
  const topCpu: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    c0 = process.cpuUsage();
    for (const input of probe) sink += predictTop(model, input, 3)[0]!.probability;
    topCpu.push(cpuMs(c0));
    if (pass === 2) break;
    c0 = process.cpuUsage();
    for (const input of probe) sink += predict(model, input)[0]!.probability;
    fastestCpu = Math.min(fastestCpu, cpuMs(c0));
  }
  const us = (cpu: number) => ((cpu / probe.length) * 1000).toFixed(0);
  console.log(
    [
      `${field}:`,
      `trained on ${examples.length.toLocaleString('en-US')} issues (${model.linear.classes.length} classes) in ${(trainMs / 1000).toFixed(1)} s wall / ${(trainCpu / 1000).toFixed(1)} s CPU;`,
      `model ${(text.length / 1e6).toFixed(2)} MB JSON (${model.quantized.rows.length.toLocaleString('en-US')} rows), loads in ${loadMs.toFixed(0)} ms wall / ${loadCpu.toFixed(0)} ms CPU;`,
      `${Math.round((probe.length / predictMs) * 1000).toLocaleString('en-US')} predictions/s wall (${((predictMs / probe.length) * 1000).toFixed(0)} µs each),`,
      `${Math.round((probe.length / predictCpu) * 1000).toLocaleString('en-US')}/s of CPU (${((predictCpu / probe.length) * 1000).toFixed(0)} µs each);`,
      `fastest of 3 passes ${us(fastestCpu)} µs of CPU each;`,
      `top 3 only (predictTop, as the router calls it) ${us(topCpu[0]!)} µs first pass, ${us(Math.min(...topCpu))} µs fastest of 3;`,
      `the training's garbage collected first in ${collectCpu.toFixed(0)} ms CPU`,
      sink > 0 ? '' : '(no predictions?)',
    ].join(' '),
  );
  let same = 0;
  const differences: string[] = [];
  for (const input of loaded.inputs) {
    const d = rankingDifference(predict(model, input), referencePredict(model, input));
    if (d === undefined) same++;
    else if (differences.length < 5) differences.push(`${input.id}: ${d}`);
  }
  console.log(
    `${field}: predictions identical: ${same.toLocaleString('en-US')} of ${loaded.inputs.length.toLocaleString('en-US')}`,
    ...differences.map((d) => `\n  differs: ${d}`),
  );
  if (same !== loaded.inputs.length) process.exitCode = 1;
}
