import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { formatIssue } from '@baton/core';
import { formatTimestamp } from '@baton/core/time';
import { mergeAnalysisPartials, SKETCH_RELATIVE_ACCURACY, type Kpis } from '@baton/core/analysis';
import { CliError, type CliIO } from '../command.ts';
import { prepareOutputDir } from '../output/output-target.ts';
import { writeRunManifest } from '../output/run-manifest.ts';
import { createStagedOutput, MANIFEST } from '../output/staged-output.ts';
import { renderReport } from '../report/render-report.ts';
import { statesCsv } from './run-analysis.ts';

/** What `baton merge` writes: the figures of the union of the partials' cases. */
export const MERGE_OUTPUTS = ['report.html', 'kpis.json', 'states.csv'] as const;

export interface MergeRequest {
  readonly partials: readonly string[];
  readonly outValue: string;
  readonly cwd: string;
  readonly title: string;
  readonly now: () => number;
}

/**
 * Reads partial analyses (`baton analyze --partial`), adds them up and writes kpis.json,
 * states.csv and report.html as one analysis of all their cases would (quantiles within the
 * sketches' relative error). Every unreadable or incompatible partial is reported at once.
 */
export async function runMerge(request: MergeRequest, io: CliIO): Promise<Kpis> {
  const reads = request.partials.map((path) => ({ path, role: 'partial' }));
  const outDir = await prepareOutputDir(request.outValue, request.cwd, [...MERGE_OUTPUTS, MANIFEST], reads);
  const docs: unknown[] = [];
  const problems: string[] = [];
  for (const path of request.partials) {
    try {
      docs.push(JSON.parse(await readFile(path, 'utf8')) as unknown);
    } catch (error) {
      problems.push(`${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      docs.push(undefined);
    }
  }
  if (problems.length > 0) throw new CliError(`cannot read every partial:\n  ${problems.join('\n  ')}`);
  const merged = mergeAnalysisPartials(docs);
  if (!merged.ok) {
    const lines = merged.issues.map((issue) => {
      const [index, ...rest] = issue.path;
      const file = typeof index === 'number' ? request.partials[index] : undefined;
      return file === undefined ? formatIssue(issue) : `${file}: ${formatIssue({ ...issue, path: rest })}`;
    });
    throw new CliError(`not partial analyses that add up:\n  ${lines.join('\n  ')}`);
  }
  const kpis = merged.value;
  // Staged like analyze's outputs: a failed merge leaves the previous run in --out untouched.
  const staged = await createStagedOutput(outDir);
  try {
    await writeFile(staged.path('kpis.json'), `${JSON.stringify(kpis, null, 2)}\n`);
    await writeFile(staged.path('states.csv'), statesCsv(kpis));
    await writeFile(
      staged.path('report.html'),
      renderReport(kpis, {
        title: request.title,
        inputs: request.partials.map((p) => basename(p)),
        generatedAt: formatTimestamp(request.now()),
        owner: 'as in the partial analyses',
        calendar: kpis.calendar.timeZone,
        workflow: 'as in the partial analyses',
        costs: 'as in the partial analyses',
        sla: 'as in the partial analyses',
        skippedExamples: [],
      }),
    );
    await writeRunManifest(staged, {
      command: 'merge',
      reads,
      options: {},
      outputs: MERGE_OUTPUTS,
      completedAt: request.now(),
      extra: { cases: kpis.cases, events: kpis.events },
    });
    await staged.commit([...MERGE_OUTPUTS, MANIFEST]);
  } catch (error) {
    await staged.abort();
    throw error;
  }
  io.stdout(
    `Merged ${request.partials.length} partial analyses: ${kpis.cases.toLocaleString('en-US')} cases, ${kpis.events.toLocaleString('en-US')} events; quantiles within ${SKETCH_RELATIVE_ACCURACY * 100}% (relative). ${outDir}\n`,
  );
  return kpis;
}
