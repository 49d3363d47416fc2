import fc from 'fast-check';
import { it } from 'vitest';
import { sequenceProperty } from '../test/sequence-property.ts';

/**
 * The generated-sequence property at full size: `pnpm --filter jira bench:sequences` runs 10,000
 * sequences of up to 8 steps (BATON_SEQUENCE_RUNS to change it, BATON_SEQUENCE_SEED to replay one).
 * Prints the sequences run and their rate. Each sequence starts its own Jira stand-in and harness.
 */
const RUNS = Number(process.env['BATON_SEQUENCE_RUNS'] ?? 10_000);
const SEED = process.env['BATON_SEQUENCE_SEED'];

it(`${RUNS} generated sequences`, async () => {
  const started = performance.now();
  let n = 0;
  const property = sequenceProperty(8).afterEach(() => {
    n++;
    if (n % 100 === 0) console.log(`${n} sequences, ${(n / ((performance.now() - started) / 1000)).toFixed(2)}/s`);
  });
  await fc.assert(property, {
    numRuns: RUNS,
    endOnFailure: true,
    ...(SEED === undefined ? {} : { seed: Number(SEED) }),
  });
  const s = (performance.now() - started) / 1000;
  console.log(`${n} sequences passed in ${s.toFixed(0)} s (${(n / s).toFixed(2)} per second)`);
});
