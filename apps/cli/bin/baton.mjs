#!/usr/bin/env node
// The `baton` bin: runs the built JavaScript (dist/baton.mjs, from `pnpm --filter @baton/cli build`)
// when it is there, so no transpiler runs at run time; a fresh clone without a build runs the
// TypeScript entry point through tsx.
import { existsSync } from 'node:fs';

const built = new URL('../dist/baton.mjs', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
