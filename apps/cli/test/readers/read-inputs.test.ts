import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, formatFromContent } from '../../src/readers/detect-format.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readInputs } from '../../src/readers/read-inputs.ts';
import { FIXTURES, collect, tempFile } from './collect.ts';

const RUNNING_XES = join(FIXTURES, 'eventlogs', 'running-example.xes');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');

describe('detectFormat', () => {
  it('uses --format first, then the extension, then the content', async () => {
    expect(await detectFormat(RUNNING_XES)).toBe('xes');
    expect(await detectFormat(RUNNING_XES, 'csv')).toBe('csv');
    const noExt = tempFile('log', readFileSync(RUNNING_XES));
    expect(await detectFormat(noExt)).toBe('xes');
    expect(formatFromContent('  {"issues": []}')).toBe('jira');
    expect(formatFromContent('[{"key":"A-1"}]')).toBe('jira');
    expect(formatFromContent('case,activity,time\n')).toBe('csv');
  });
});

describe('readInputs', () => {
  it('merges several inputs with cumulative progress', async () => {
    const r = await collect(readInputs([RUNNING_XES, RECEIPT], defineReadOptions()));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(46);
    expect(r.events).toBe(42 + 228);
    const last = r.progress.at(-1);
    expect(last?.bytesRead).toBe(last?.bytesTotal);
    const sorted = r.progress.map((p) => p.bytesRead);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
  });

  it('keeps a case read twice once and reports the repeat', async () => {
    const copy = tempFile('again.xes', '');
    copyFileSync(RUNNING_XES, copy);
    const r = await collect(readInputs([RUNNING_XES, copy], defineReadOptions()));
    expect(r.cases).toHaveLength(6);
    expect(r.skips).toHaveLength(6);
    expect(r.skips[0]).toMatchObject({ code: 'case.duplicate', location: { file: copy, record: '3' } });
  });
});
