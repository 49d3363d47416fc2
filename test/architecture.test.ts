import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every package and app README opens with one line saying what its source may import ("May import
// `zod` and Node built-ins; never imported by production code."). This test reads that line and holds
// each `src/` file's bare imports against it, so the README and the code cannot drift apart. The line
// is prose with a small grammar:
// - clauses are separated by `;` or ` — `; the first clause, up to a `no`/`never`, lists what is allowed
//   (each `backticked` name, `@scope/*` for a scope, "Node built-ins" for `node:` modules);
// - `(in \`path\` only) \`pkg\``, or a later clause `only \`path\` … may import \`pkg\``, allows `pkg` in that
//   file alone; `for types only` allows `import type` alone;
// - a clause `never imported by production code` forbids every other package's `src/` to import it.

const ROOT = join(import.meta.dirname, '..');
const HOMES = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .map((name) => join(ROOT, dir, name))
    .filter((path) => existsSync(join(path, 'package.json'))),
);

interface Rules {
  readonly name: string;
  readonly home: string;
  readonly allowed: ReadonlySet<string>;
  readonly scopes: readonly string[];
  readonly builtins: boolean;
  /** Package → the one file (relative to the home) that may import it. */
  readonly onlyIn: ReadonlyMap<string, string>;
  readonly typesOnly: boolean;
  readonly testOnly: boolean;
}

const ticked = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');

/** The rules one "May import" line states. */
function rulesOfLine(line: string, name: string, home: string): Rules {
  const [first = '', ...rest] = line.split(/;\s|\s—\s/);
  const allowedPart = first.split(/\b(?:no|never)\b/)[0] ?? '';
  const onlyIn = new Map<string, string>();
  for (const m of allowedPart.matchAll(/\(in `([^`]+)` only\)\s*`([^`]+)`/g)) onlyIn.set(m[2] ?? '', m[1] ?? '');
  for (const clause of rest) {
    const m = /^only `([^`]+)`.*may import `([^`]+)`/.exec(clause.trim());
    if (m) onlyIn.set(m[2] ?? '', m[1] ?? '');
  }
  const names = ticked(allowedPart.replace(/\(in `[^`]+` only\)/g, ''));
  return {
    name,
    home,
    allowed: new Set([...names.filter((n) => !n.endsWith('/*')), ...onlyIn.keys()]),
    scopes: names.filter((n) => n.endsWith('/*')).map((n) => n.slice(0, -1)),
    builtins: /Node built-ins/.test(allowedPart),
    onlyIn,
    typesOnly: /for types only/.test(allowedPart),
    testOnly: rest.some((c) => /never imported by production code/.test(c)),
  };
}

const nameOf = (home: string): string =>
  (JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')) as { name: string }).name;

function rulesOf(home: string): Rules {
  const readme = readFileSync(join(home, 'README.md'), 'utf8');
  const line = readme.split('\n').find((l) => l.startsWith('May import '));
  if (line === undefined) throw new Error(`${relative(ROOT, home)}/README.md: no line starting "May import"`);
  return rulesOfLine(line, nameOf(home), home);
}

function* sourceFiles(dir: string): Generator<string> {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name) && !/\.test\.tsx?$/.test(name)) yield path;
  }
}

interface Import {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** Bare (package) imports of a source text: static, re-exports and dynamic `import('…')`. */
function importsOf(text: string): Import[] {
  const found: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm))
    found.push({ specifier: m[3] ?? '', typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm))
    found.push({ specifier: m[1] ?? '', typeOnly: false });
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ specifier: m[1] ?? '', typeOnly: false });
  return found.filter((i) => !i.specifier.startsWith('.') && !i.specifier.startsWith('#'));
}

const packageOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
};
const BUILTINS = new Set(builtinModules);
const isBuiltin = (s: string): boolean => s.startsWith('node:') || BUILTINS.has(packageOf(s));

/** Why an import breaks the README's line, or null when it keeps it. */
function breach(rules: Rules, file: string, imp: Import): string | null {
  const pkg = packageOf(imp.specifier);
  if (pkg === rules.name) return null;
  if (isBuiltin(imp.specifier)) {
    if (rules.builtins || rules.allowed.has(imp.specifier)) return null;
    return `imports ${imp.specifier}, but the README allows no Node built-in`;
  }
  const only = rules.onlyIn.get(pkg);
  if (only !== undefined && only !== file) return `imports ${pkg}, which the README allows in ${only} only`;
  if (!rules.allowed.has(pkg) && !rules.scopes.some((s) => pkg.startsWith(s)))
    return `imports ${pkg}, which the README's "May import" line does not list`;
  if (rules.typesOnly && !imp.typeOnly) return `imports ${pkg} for more than types (the README says types only)`;
  return null;
}

describe('each package and app imports what its README says', () => {
  const all = HOMES.map(rulesOf);

  it('finds a "May import" line in every README', () => {
    expect(all.map((r) => r.name).sort()).toEqual(HOMES.map(nameOf).sort());
    for (const r of all) expect(r.allowed.size + r.scopes.length, r.name).toBeGreaterThan(0);
  });

  for (const rules of all) {
    it(`${relative(ROOT, rules.home)}: src/ keeps to its README`, () => {
      const testOnly = new Set(all.filter((r) => r.testOnly).map((r) => r.name));
      const problems: string[] = [];
      for (const path of sourceFiles(join(rules.home, 'src'))) {
        const file = relative(rules.home, path).split(sep).join('/');
        for (const imp of importsOf(readFileSync(path, 'utf8'))) {
          const pkg = packageOf(imp.specifier);
          const why =
            testOnly.has(pkg) && pkg !== rules.name
              ? `imports ${pkg}, whose README says it is never imported by production code`
              : breach(rules, file, imp);
          if (why !== null) problems.push(`${relative(ROOT, path)}: ${why}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('the README grammar this test reads', () => {
  const rules = (line: string): Rules => rulesOfLine(line, 'x', '');

  it('rejects a package the line does not list, and a built-in when none is allowed', () => {
    const r = rules('May import `zod` only — no `@forge/*`, no Node built-ins.');
    expect(breach(r, 'src/a.ts', { specifier: 'zod', typeOnly: false })).toBeNull();
    expect(breach(r, 'src/a.ts', { specifier: '@forge/api', typeOnly: false })).toMatch(/does not list/);
    expect(breach(r, 'src/a.ts', { specifier: 'node:fs', typeOnly: false })).toMatch(/no Node built-in/);
  });

  it('reads scopes, built-ins and types-only', () => {
    const r = rules('May import `@forge/*` and Node built-ins; nothing else.');
    expect(breach(r, 'src/a.ts', { specifier: '@forge/kvs', typeOnly: false })).toBeNull();
    expect(breach(r, 'src/a.ts', { specifier: 'fs', typeOnly: false })).toBeNull();
    const t = rules('May import `@baton/core` for types only (`import type`).');
    expect(breach(t, 'src/a.ts', { specifier: '@baton/core', typeOnly: false })).toMatch(/types only/);
    expect(breach(t, 'src/a.ts', { specifier: '@baton/core/analysis', typeOnly: true })).toBeNull();
  });

  it('allows a package in the one file a line names', () => {
    const r = rules('May import `zod` and (in `src/llm.ts` only) `@forge/llm`; the manifest needs it.');
    expect(breach(r, 'src/llm.ts', { specifier: '@forge/llm', typeOnly: false })).toBeNull();
    expect(breach(r, 'src/other.ts', { specifier: '@forge/llm', typeOnly: false })).toMatch(/in src\/llm.ts only/);
    const j = rules('May import `react`; only `src/editions/slack.ts` (the edition) may import `@baton/slack`.');
    expect(breach(j, 'src/editions/slack.ts', { specifier: '@baton/slack', typeOnly: false })).toBeNull();
    expect(breach(j, 'src/index.ts', { specifier: '@baton/slack', typeOnly: false })).toMatch(/only/);
    expect(rules('May import `zod`; never imported by production code.').testOnly).toBe(true);
  });

  it('finds bare imports of every form and ignores relative ones', () => {
    const text = [
      "import * as z from 'zod';",
      "import type { A } from '@baton/core';",
      "export { b } from '@baton/jira/issue-state';",
      "import './side-effect.ts';",
      "const m = await import('openai');",
      "import { c } from '../c.ts';",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: 'zod', typeOnly: false },
      { specifier: '@baton/core', typeOnly: true },
      { specifier: '@baton/jira/issue-state', typeOnly: false },
      { specifier: 'openai', typeOnly: false },
    ]);
  });
});
