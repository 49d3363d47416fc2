import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core must stay portable between the Forge runtime, the browser and Node: it may import zod,
// @noble/hashes (audited pure-JS hashes, no dependency) and its own files, nothing else, and must
// not read the clock or the environment.
const SRC = join(import.meta.dirname, '..', 'src');

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) yield path;
  }
}

describe('core purity', () => {
  const files = [...sourceFiles(SRC)];

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files)('%s imports only zod, @noble/hashes and relative modules', (file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (m) => m[1] ?? m[2],
    );
    const foreign = specifiers.filter(
      (s) =>
        s !== undefined &&
        s !== 'zod' &&
        !s.startsWith('@noble/hashes/') &&
        !s.startsWith('./') &&
        !s.startsWith('../'),
    );
    expect(foreign).toEqual([]);
  });

  it.each(files)('%s reads neither the clock nor the environment', (file) => {
    const text = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
    expect(text).not.toMatch(
      /\bDate\.now\(|new Date\(\)|process\.env|Math\.random\(|\bfetch\(|\bdocument\.|\bwindow\./,
    );
  });
});
