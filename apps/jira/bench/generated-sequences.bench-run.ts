import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { it } from 'vitest';
import { sequenceProperty } from '../test/sequence-property.ts';

/**
 * The generated-sequence property at full size: `pnpm --filter jira bench:sequences` runs 10,000
 * sequences of up to 8 steps. BATON_SEQUENCE_RUNS changes the count, BATON_SEQUENCE_SEED replays a
 * seed, BATON_SEQUENCE_LOG names a file that gets the seed, progress every 100 sequences and the result
 * (a long run's progress survives the terminal). Each sequence starts its own Jira stand-in and harness.
 * A failure stops the run unshrunk (`endOnFailure`) and prints fast-check's seed, path and counterexample:
 * replay it with `fc.assert(property, { seed, path })` and shrink from there.
 */
const RUNS = Number(process.env['BATON_SEQUENCE_RUNS'] ?? 10_000);
const SEED = Number(process.env['BATON_SEQUENCE_SEED'] ?? Date.now() % 2 ** 31);
const LOG = process.env['BATON_SEQUENCE_LOG'];

const say = (line: string): void => {
  console.log(line);
  if (LOG !== undefined) appendFileSync(LOG, `${new Date().toISOString()} ${line}\n`);
};

it(`${RUNS} generated sequences`, async () => {
  const started = performance.now();
  const rate = (n: number): string => `${(n / ((performance.now() - started) / 1000)).toFixed(2)}/s`;
  let n = 0;
  say(`seed ${SEED}: ${RUNS} sequences of up to 8 steps`);
  const property = sequenceProperty(8).afterEach(() => {
    n++;
    if (n % 100 === 0) say(`${n} sequences, ${rate(n)}`);
  });
  try {
    await fc.assert(property, { numRuns: RUNS, endOnFailure: true, seed: SEED });
  } catch (e) {
    say(`FAILED after ${n} sequences (seed ${SEED}): ${(e as Error).message}`);
    throw e;
  }
  const s = (performance.now() - started) / 1000;
  say(`PASSED: ${n} sequences (seed ${SEED}) in ${s.toFixed(0)} s (${(n / s).toFixed(2)} per second)`);
});
