import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core's rooms in layer order, ground first: a source file may import its own room and rooms on a
// lower layer, never one on its own layer or above. Rooms on one layer stand side by side and know
// nothing of each other. The README states the same order (checked below), so the plan cannot drift.
const LAYERS: readonly (readonly string[])[] = [
  ['result.ts', 'strict-object.ts', 'text/'],
  ['time/'],
  ['model/'],
  ['decision/', 'classify/', 'analysis/'],
  ['charter/'],
  ['sla/'],
  ['agent/clerk/', 'agent/watchdog/'],
  ['agent/concierge/', 'agent/router/', 'recommend/'],
  ['llm/', 'replay/', 'chat/'],
  ['index.ts'],
];

const SRC = join(import.meta.dirname, '..', 'src');
const README = join(import.meta.dirname, '..', 'README.md');

/** The room a path (relative to src, `/`-separated) lives in: the longest listed prefix. */
function roomOf(path: string): string | undefined {
  let best: string | undefined;
  for (const room of LAYERS.flat()) {
    const hit = room.endsWith('/') ? path.startsWith(room) : path === room;
    if (hit && (best === undefined || room.length > best.length)) best = room;
  }
  return best;
}

function layerOf(room: string): number {
  return LAYERS.findIndex((layer) => layer.includes(room));
}

interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly why: string;
}

/** Every relative import of `file` (relative to src) that does not run down the layers. */
function violations(file: string, text: string): Violation[] {
  const from = roomOf(file);
  if (from === undefined) return [{ file, imports: '', why: `${file} is in no room: add its folder to LAYERS` }];
  const specifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  const found: Violation[] = [];
  for (const spec of specifiers) {
    const target = relative(SRC, resolve(SRC, dirname(file), spec))
      .split(sep)
      .join('/');
    const to = roomOf(target);
    if (to === undefined) {
      found.push({ file, imports: target, why: `${target} is in no room` });
    } else if (to !== from && layerOf(to) >= layerOf(from)) {
      const where = layerOf(to) === layerOf(from) ? 'its own layer' : 'a higher layer';
      found.push({ file, imports: target, why: `${from} (layer ${layerOf(from) + 1}) imports ${to} on ${where}` });
    }
  }
  return found;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

describe('core layers', () => {
  const files = [...sourceFiles(SRC)].map((f) => relative(SRC, f).split(sep).join('/'));

  it('finds the source files of every room', () => {
    const rooms = new Set(files.map(roomOf));
    expect([...rooms].sort()).toEqual(LAYERS.flat().sort());
  });

  it('has no import that runs back up a layer or sideways within one', () => {
    const found = files.flatMap((file) => violations(file, readFileSync(join(SRC, file), 'utf8')));
    expect(found).toEqual([]);
  });

  it('reports an import that runs back up, and one between neighbours', () => {
    expect(violations('charter/charter-schema.ts', "import { x } from '../agent/clerk/clerk.ts';")).toEqual([
      {
        file: 'charter/charter-schema.ts',
        imports: 'agent/clerk/clerk.ts',
        why: 'charter/ (layer 5) imports agent/clerk/ on a higher layer',
      },
    ]);
    expect(violations('decision/audit.ts', "export type { Y } from '../analysis/stats.ts';")[0]?.why).toBe(
      'decision/ (layer 4) imports analysis/ on its own layer',
    );
    expect(violations('agent/router/router.ts', "import type { Z } from '../../llm/prompt.ts';")).toHaveLength(1);
    expect(violations('agent/router/router.ts', "import { W } from '../clerk/clerk-readiness.ts';")).toEqual([]);
  });

  it('names a file outside every room', () => {
    expect(violations('misc/helper.ts', '')[0]?.why).toBe('misc/helper.ts is in no room: add its folder to LAYERS');
  });

  it('is the order the README states', () => {
    const stated = LAYERS.map((layer) => layer.map((room) => `\`${room}\``).join(', '))
      .map((line, i) => `${i + 1}. ${line}`)
      .join('\n');
    expect(readFileSync(README, 'utf8')).toContain(stated);
  });
});
