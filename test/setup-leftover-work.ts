// A setup file (each project's `setupFiles`): a test file fails when it leaves work running after its
// last test and hooks (`leftover-work.ts` lists what counts). Such work fires later, in the next file
// that shares the worker or after happy-dom's window is gone: CI once failed on "ShadowRoot is not
// defined" from an overlay's page watcher that a test never closed. Stop it in afterEach/afterAll.
import { afterAll } from 'vitest';
import { settled, trackLeftovers } from './leftover-work.ts';

const leftovers = trackLeftovers();

// A setup file's afterAll is registered before the test file's own, so it runs after them.
afterAll(async () => {
  await settled();
  const left = leftovers.pending();
  leftovers.restore();
  if (left.length > 0)
    throw new Error(
      `this file left work running after its tests; stop it in afterEach/afterAll:\n- ${left.join('\n- ')}`,
    );
});
