import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseRecord } from '@baton/core';
import type { ReadItem, SkippedRecord } from '../../src/readers/types.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const DATA = join(import.meta.dirname, '..', '..', 'data');

export interface Collected {
  readonly cases: CaseRecord[];
  readonly skips: SkippedRecord[];
  readonly progress: { bytesRead: number; bytesTotal: number }[];
  readonly events: number;
}

/** Drains a reader into arrays (fine for fixtures; the readers themselves stream). */
export async function collect(items: AsyncIterable<ReadItem>): Promise<Collected> {
  const cases: CaseRecord[] = [];
  const skips: SkippedRecord[] = [];
  const progress: { bytesRead: number; bytesTotal: number }[] = [];
  let events = 0;
  for await (const item of items) {
    if (item.type === 'case') {
      cases.push(item.record);
      events += item.record.events.length;
    } else if (item.type === 'skip') skips.push(item.skipped);
    else if (item.type === 'progress') progress.push({ bytesRead: item.bytesRead, bytesTotal: item.bytesTotal });
  }
  return { cases, skips, progress, events };
}

/** Writes `content` to a fresh temporary file and returns its path. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-readers-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
