import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// @baton/core's public surface: the names each entry point (package.json "exports") hands out, held
// in api-surface.txt. A name added to or dropped from a door fails here until the file is updated on
// purpose (`pnpm vitest run --project core -u`), so the surface changes only when someone means it to.
// Entries are explicit lists (`export { a, type B } from './x.ts'`): `export *` would hide what goes out.

const ROOT = join(import.meta.dirname, '..');
const exportsField = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> }
).exports;

interface Surface {
  readonly values: string[];
  readonly types: string[];
}

function surfaceOf(text: string, file: string): Surface {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const statements = code.split(';').map((s) => s.trim());
  const values: string[] = [];
  const types: string[] = [];
  for (const statement of statements.filter((s) => s.startsWith('export'))) {
    const m = /^export\s+(type\s+)?\{([^}]*)\}\s*from\s*'[^']+'$/.exec(statement);
    if (m === null) throw new Error(`${file}: not an explicit re-export list: ${statement.slice(0, 80)}`);
    for (const item of (m[2] ?? '').split(',').map((s) => s.trim())) {
      if (item === '') continue;
      const isType = m[1] !== undefined || item.startsWith('type ');
      const name =
        item
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)
          .pop() ?? item;
      (isType ? types : values).push(name);
    }
  }
  return { values: values.sort(), types: types.sort() };
}

function entryName(subpath: string): string {
  return subpath === '.' ? '@baton/core' : `@baton/core${subpath.slice(1)}`;
}

const surfaces = Object.entries(exportsField).map(([subpath, file]) => {
  const path = join(ROOT, file);
  return { entry: entryName(subpath), path, surface: surfaceOf(readFileSync(path, 'utf8'), file) };
});

describe('the public surface of @baton/core', () => {
  it('is the list in api-surface.txt, entry point by entry point', async () => {
    const text = surfaces
      .map(({ entry, surface }) =>
        [
          `# ${entry} (${surface.values.length} values, ${surface.types.length} types)`,
          ...surface.values,
          ...surface.types.map((t) => `type ${t}`),
        ].join('\n'),
      )
      .join('\n\n');
    await expect(`${text}\n`).toMatchFileSnapshot('api-surface.txt');
  });

  it.each(surfaces)('$entry exports at run time exactly the values it lists', async ({ path, surface }) => {
    const loaded = (await import(path)) as Record<string, unknown>;
    expect(Object.keys(loaded).sort()).toEqual(surface.values);
  });

  it('hands each name out through one door only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const { entry, surface } of surfaces) {
      for (const name of [...surface.values, ...surface.types]) {
        const before = seen.get(name);
        if (before !== undefined) twice.push(`${name} in ${before} and ${entry}`);
        seen.set(name, entry);
      }
    }
    expect(twice).toEqual([]);
  });

  it('refuses an entry point that is not an explicit list', () => {
    expect(() => surfaceOf("export * from './x.ts';", 'src/x/index.ts')).toThrow(
      "src/x/index.ts: not an explicit re-export list: export * from './x.ts'",
    );
    expect(surfaceOf("export { a, type B } from './a.ts';\nexport type { C } from './c.ts';", 'i.ts')).toEqual({
      values: ['a'],
      types: ['B', 'C'],
    });
  });
});
