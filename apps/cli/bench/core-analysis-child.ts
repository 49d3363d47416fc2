// One process of `core-analysis.ts`: reads a log's cases once with the CLI's readers, then, `rounds`
// times, feeds fresh copies of them (in batches, as a reader hands them over) to a new analysis of the
// core bundle it is given, and prints the CPU time of `add` (every case) and of `result` per round,
// as JSON on stdout. Not run by itself: `core-analysis.ts` bundles it and runs it.
//   node child.mjs <core bundle .mjs> <log> <rounds> [--sla <business days>] [--cohort <iso date>]
import { performance } from 'node:perf_hooks';
import type { CaseRecord, StateCategoryHints } from '@baton/core';
import type * as CoreAnalysis from '@baton/core/analysis';
import { defineReadOptions } from '../src/readers/read-options.ts';
import { readInputs } from '../src/readers/read-inputs.ts';

const BATCH = 256;

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** A record as a reader makes it: its own objects, none shared with the copy before. */
function copyOf(r: CaseRecord): CaseRecord {
  const events = new Array<CaseRecord['events'][number]>(r.events.length);
  for (let i = 0; i < events.length; i++) events[i] = { ...r.events[i]! };
  return { ...r, events };
}

async function main(): Promise<void> {
  const [bundle, log, roundsText] = process.argv.slice(2);
  if (bundle === undefined || log === undefined) throw new Error('usage: child.mjs <core bundle> <log> <rounds>');
  const rounds = Number(roundsText ?? 5);
  const core = (await import(bundle)) as typeof CoreAnalysis;
  const records: CaseRecord[] = [];
  const hints: StateCategoryHints = new Map();
  let skipped = 0;
  for await (const item of readInputs([log], defineReadOptions())) {
    if (item.type === 'case') records.push(item.record);
    else if (item.type === 'skip') skipped++;
    else if (item.type === 'hints') for (const [k, v] of item.hints) hints.set(k, v);
  }
  const sla = flag('--sla');
  const cohort = flag('--cohort');
  const options: CoreAnalysis.AnalysisOptions = {
    ...(cohort === undefined ? {} : { cohort: Date.parse(cohort) }),
    ...(sla === undefined ? {} : { slaTargetMs: () => Number(sla) * 8 * 3_600_000 }),
  };
  const addMs: number[] = [];
  const resultMs: number[] = [];
  let figure = '';
  for (let round = 0; round < rounds; round++) {
    const analysis = core.createAnalysis(options);
    analysis.addHints(hints);
    let add = 0;
    for (let at = 0; at < records.length; at += BATCH) {
      const batch = records.slice(at, at + BATCH).map(copyOf);
      const t = process.cpuUsage();
      // What the CLI calls (a core from before `addTransient` has only `add`).
      if (analysis.addTransient === undefined) for (const record of batch) analysis.add(record);
      else for (const record of batch) analysis.addTransient(record);
      const d = process.cpuUsage(t);
      add += (d.user + d.system) / 1000;
    }
    analysis.addSkipped(skipped);
    const t = process.cpuUsage();
    const kpis = analysis.result();
    const d = process.cpuUsage(t);
    addMs.push(add);
    resultMs.push((d.user + d.system) / 1000);
    figure = `${kpis.cases} cases, cycle p50 ${kpis.cycleTimeDays.p50}`;
  }
  process.stdout.write(`${JSON.stringify({ addMs, resultMs, figure, at: performance.now() })}\n`);
}

await main();
