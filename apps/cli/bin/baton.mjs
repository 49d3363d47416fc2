#!/usr/bin/env node
// The `baton` bin: runs the TypeScript entry point through tsx (no build step for users).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
