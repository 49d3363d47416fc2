#!/usr/bin/env node
// Prints one closing line for the whole suite from Vitest's JSON report, in the plain
// "N passed, N failed" form that CI reads.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync('.vitest-results.json', 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0 || passed === 0) process.exit(1);
