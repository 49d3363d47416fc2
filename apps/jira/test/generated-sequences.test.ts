import fc from 'fast-check';
import { describe, it } from 'vitest';
import { sequenceProperty } from './sequence-property.ts';

/**
 * The generated-sequence property (test/sequence-property.ts), bounded for the test command: a few
 * dozen sequences of up to 8 steps, stopped after 45 s. The 10,000-sequence run is
 * `pnpm --filter jira bench:sequences` (each sequence starts its own Jira stand-in and Forge harness:
 * about a second each on this machine, so 10,000 take hours, not a test's minute).
 */
const RUNS = Number(process.env['BATON_SEQUENCE_RUNS'] ?? 40);

describe('generated event sequences (fast-check)', () => {
  it('out of order, twice, concurrently, with 429s, 5xx and cut invocations: no duplicate effect, no lost suggestion, caps held, each decision in the chain once', async () => {
    await fc.assert(sequenceProperty(8), {
      numRuns: RUNS,
      interruptAfterTimeLimit: 45_000,
      markInterruptAsFailure: false,
      endOnFailure: true,
    });
  }, 120_000);
});
