import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const parsed = new Map<string, unknown>();

/**
 * A manifest.yml as parsed YAML, parsed once per distinct text: the harness reads the manifest on every
 * invocation (time budget, trigger filter, scopes), and a generated-sequence run makes hundreds of
 * thousands of them. The file is read each time, so a test that writes a manifest sees what it wrote.
 * The result is frozen: callers read it, never change it.
 */
export function readManifest<T>(path: string): T {
  const text = readFileSync(path, 'utf8');
  let m = parsed.get(text);
  if (m === undefined) {
    m = deepFreeze(parse(text) as unknown);
    parsed.set(text, m);
  }
  return m as T;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
