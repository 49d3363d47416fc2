import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// The app's rooms are the ones its README lists under "Where things live" (`src/<room>/`), so a room
// cannot appear (or `domain/`, gone with the translators of issue #15, come back) without the README
// saying what belongs there. Each room has a README of its own whose "May import" line says which of the
// app's rooms its files may import (each `room/` backticked before a "never"), and after "never" what
// it must not import besides (a backticked package, `@scope/*`, or "a Node built-in"). The test below
// holds every source file's relative and package imports to that line: so `app/` cannot reach
// `platform/` (the use cases see Forge only through `ports/`, ADR 0022) nor `platform/` reach `app/`.
// Files at `src/`'s root (the entry point and the edition switches) are no room and are not checked.
// Within a room, files import each other without a cycle.

const APP = join(import.meta.dirname, '..');
const SRC = join(APP, 'src');
const readme = readFileSync(join(APP, 'README.md'), 'utf8');

const roomsInReadme = (text: string): string[] =>
  [...new Set([...text.matchAll(/`src\/([a-z-]+)\/`/g)].map((m) => m[1] ?? ''))].sort();

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

interface RoomRules {
  readonly room: string;
  /** Rooms of the app this room's files may import (besides their own). */
  readonly rooms: ReadonlySet<string>;
  /** Packages (or `@scope/` prefixes) its files must not import. */
  readonly neverPackages: readonly string[];
  readonly neverBuiltins: boolean;
}

/** The rules a room README's "May import" line states. */
function roomRulesOf(room: string, line: string): RoomRules {
  const [allowed = '', never = ''] = line.split(/\bnever\b/);
  const ticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return {
    room,
    rooms: new Set(
      ticked(allowed)
        .filter((t) => /^[a-z-]+\/$/.test(t))
        .map((t) => t.slice(0, -1)),
    ),
    neverPackages: ticked(never)
      .filter((t) => !/^[a-z-]+\/$/.test(t))
      .map((t) => (t.endsWith('/*') ? t.slice(0, -1) : t)),
    neverBuiltins: /Node built-in/.test(never),
  };
}

const BUILTINS = new Set(builtinModules);
const specifiersOf = (text: string): string[] => [
  ...[...text.matchAll(/^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? ''),
  ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? ''),
  ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? ''),
];

/** Why each import of one file (`path` under `src`) breaks its room's line; empty when it keeps it. */
function roomBreaches(rules: RoomRules, src: string, path: string, text: string): string[] {
  const file = relative(src, path).split(sep).join('/');
  return specifiersOf(text).flatMap((spec) => {
    if (spec.startsWith('.')) {
      const [room, ...rest] = relative(src, resolve(dirname(path), spec)).split(sep);
      if (room === undefined || rest.length === 0 || room === rules.room || rules.rooms.has(room)) return [];
      return [`${file} imports ${spec}: src/${rules.room}/README.md does not let ${rules.room}/ import ${room}/`];
    }
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
    if (rules.neverBuiltins && (spec.startsWith('node:') || BUILTINS.has(pkg)))
      return [`${file} imports ${spec}: src/${rules.room}/README.md says never a Node built-in`];
    if (rules.neverPackages.some((n) => (n.endsWith('/') ? spec.startsWith(n) : pkg === n)))
      return [`${file} imports ${spec}: src/${rules.room}/README.md says never ${pkg}`];
    return [];
  });
}

const roomsOnDisk = (): string[] =>
  readdirSync(SRC)
    .filter((name) => statSync(join(SRC, name)).isDirectory())
    .sort();

function readRoomRules(room: string): RoomRules {
  const readme = join(SRC, room, 'README.md');
  if (!existsSync(readme))
    throw new Error(`src/${room}/README.md is missing: say what belongs there and what it may import`);
  const line = readFileSync(readme, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('May import'));
  if (line === undefined) throw new Error(`src/${room}/README.md: no line starting "May import"`);
  return roomRulesOf(room, line);
}

/**
 * The import cycles among one room's files (each cycle once, as the files on it), from each file's
 * relative imports within the room: a use case that imports one that imports it back is two use cases
 * tangled into one, which no layer rule sees.
 */
function cyclesIn(files: ReadonlyMap<string, string>): string[][] {
  const edges = new Map<string, string[]>();
  for (const [path, text] of files)
    edges.set(
      path,
      specifiersOf(text)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => resolve(dirname(path), spec))
        .filter((target) => files.has(target)),
    );
  // Tarjan's strongly connected components: every component of more than one file is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of files.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("the Jira app's source rooms", () => {
  it('are the rooms the README lists, and there is no domain/', () => {
    const rooms = readdirSync(SRC)
      .filter((name) => statSync(join(SRC, name)).isDirectory())
      .sort();
    expect(rooms).toEqual(roomsInReadme(readme));
    expect(rooms).not.toContain('domain');
  });

  for (const room of roomsOnDisk())
    it(`src/${room}/ imports what its README says`, () => {
      const rules = readRoomRules(room);
      const problems = [...sources(join(SRC, room))].flatMap((path) =>
        roomBreaches(rules, SRC, path, readFileSync(path, 'utf8')),
      );
      expect(problems).toEqual([]);
    });

  for (const room of roomsOnDisk())
    it(`src/${room}/ has no import cycle among its files`, () => {
      const files = new Map([...sources(join(SRC, room))].map((path) => [path, readFileSync(path, 'utf8')]));
      const cycles = cyclesIn(files).map((c) => c.map((path) => relative(SRC, path).split(sep).join('/')));
      expect(cycles).toEqual([]);
    });

  it('finds a cycle planted among three files, and none in a chain', () => {
    const at = (name: string) => join(SRC, 'app', name);
    const chain = new Map([
      [at('a.ts'), "import { b } from './b.ts';"],
      [at('b.ts'), "import { c } from './c.ts';"],
      [at('c.ts'), "import { x } from '../ports/x.ts';"],
    ]);
    expect(cyclesIn(chain)).toEqual([]);
    const loop = new Map([...chain, [at('c.ts'), "export { a } from './a.ts';"]]);
    expect(cyclesIn(loop)).toEqual([[at('a.ts'), at('b.ts'), at('c.ts')]]);
  });

  it('holds app/ and platform/ apart, whichever way the import runs', () => {
    const app = readRoomRules('app');
    const platform = readRoomRules('platform');
    expect(app.rooms.has('platform')).toBe(false);
    expect(platform.rooms.has('app')).toBe(false);
    const useCase = join(SRC, 'app', 'planted.ts');
    const store = join(SRC, 'platform', 'planted.ts');
    expect(roomBreaches(app, SRC, useCase, "import type { X } from '../platform/baton-storage.ts';")).toEqual([
      'app/planted.ts imports ../platform/baton-storage.ts: src/app/README.md does not let app/ import platform/',
    ]);
    expect(roomBreaches(platform, SRC, store, "export { y } from '../app/app-deps.ts';")).toHaveLength(1);
    expect(roomBreaches(app, SRC, useCase, "const m = await import('../platform/work-queue.ts');")).toHaveLength(1);
    expect(roomBreaches(app, SRC, useCase, "import { kvs } from '@forge/kvs';")).toEqual([
      'app/planted.ts imports @forge/kvs: src/app/README.md says never @forge/kvs',
    ]);
    expect(roomBreaches(app, SRC, useCase, "import type { WorkQueue } from '../ports/work-queue.ts';")).toEqual([]);
    expect(roomBreaches(app, SRC, useCase, "import { edition } from '../edition.ts';")).toEqual([]);
  });

  it('reads a room README line: rooms before "never", packages and built-ins after it', () => {
    const r = roomRulesOf(
      'x',
      'May import `ports/` and `contracts/` (packages: as said); never `platform/`, `@forge/*` or a Node built-in.',
    );
    expect([...r.rooms].sort()).toEqual(['contracts', 'ports']);
    expect(r.neverPackages).toEqual(['@forge/']);
    expect(r.neverBuiltins).toBe(true);
    expect(roomRulesOf('y', 'May import none of the other rooms.').rooms.size).toBe(0);
  });

  it('reads the rooms a README line names', () => {
    expect(roomsInReadme('- `src/app/`: use cases; `src/contracts/`: schemas; `src/app/` again')).toEqual([
      'app',
      'contracts',
    ]);
  });
});
