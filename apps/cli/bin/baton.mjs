#!/usr/bin/env node
// The `baton` bin: runs the built JavaScript (dist/baton.mjs, from `pnpm --filter @baton/cli build`;
// `pnpm baton` builds it first when a source changed) when it is there and newer than every source
// file it was built from, so no transpiler runs at run time; otherwise (a fresh clone, or sources
// edited since the build) it runs the TypeScript entry point through tsx, so a stale build is never
// run.
import module from 'node:module';
import { BUILT, buildIsFresh } from './freshness.mjs';

if (buildIsFresh()) {
  // Node 22+ keeps the compiled code of the bundle in its on-disk cache: later runs start sooner.
  module.enableCompileCache?.();
  await import(BUILT.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
