import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR, CHROME_DIR, FIREFOX_DIR } from './global-setup.ts';

// What the stores ask for beside the package — icons, a privacy policy, permission justifications,
// an honest Firefox data declaration and build instructions — kept in step with the built manifests.
// Each check fails when one side changes without the other.

interface Manifest {
  icons?: Record<string, string>;
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts: { matches: string[] }[];
  browser_specific_settings?: {
    gecko?: { data_collection_permissions?: { required?: string[]; optional?: string[] } };
  };
}

const STORE = join(APP_DIR, 'store');
const manifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
const read = (name: string): string => readFileSync(join(STORE, name), 'utf8');

/** The rows of the justification table in listing.md: `| \`permission\` | why |`. */
function justified(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of read('listing.md').matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

/** Everything in a manifest that a store reviewer asks a reason for. */
function asked(m: Manifest): string[] {
  return [
    ...(m.permissions ?? []),
    ...(m.host_permissions ?? []),
    ...(m.optional_host_permissions ?? []),
    ...m.content_scripts.flatMap((c) => c.matches),
  ];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('latin1'), `${path} is not a PNG`).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe.each([
  ['chrome', CHROME_DIR],
  ['firefox', FIREFOX_DIR],
])('the %s package', (_browser, dir) => {
  it('has icons at 16, 32, 48 and 128 px, each PNG the size it claims', () => {
    const icons = manifest(dir).icons ?? {};
    expect(Object.keys(icons).sort((a, b) => Number(a) - Number(b))).toEqual(['16', '32', '48', '128']);
    for (const [size, file] of Object.entries(icons))
      expect(pngSize(join(dir, file))).toEqual({ width: Number(size), height: Number(size) });
  });

  it('justifies every permission, host and content-script match in store/listing.md', () => {
    const rows = justified();
    for (const p of asked(manifest(dir))) expect(rows.get(p), `no justification for ${p}`).toMatch(/\w{3,}/);
  });
});

describe('store files', () => {
  it('justify nothing the packages do not ask for (no stale rows)', () => {
    const all = new Set([...asked(manifest(CHROME_DIR)), ...asked(manifest(FIREFOX_DIR))]);
    expect([...justified().keys()].filter((p) => !all.has(p))).toEqual([]);
  });

  it('declare in Firefox the data categories the privacy policy names, and not "none"', () => {
    const declared = manifest(FIREFOX_DIR).browser_specific_settings?.gecko?.data_collection_permissions;
    const line = /^Firefox data categories: (.+)$/m.exec(read('PRIVACY.md'));
    expect(line, 'PRIVACY.md has no "Firefox data categories:" line').not.toBeNull();
    const named = [...line![1]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]).sort();
    expect([...(declared?.required ?? []), ...(declared?.optional ?? [])].sort()).toEqual(named);
    expect(declared?.required).not.toContain('none');
  });

  it('list in the privacy policy every storage key the extension keeps, and no other', () => {
    const keys = new Set<string>();
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name))
          for (const m of readFileSync(p, 'utf8').matchAll(
            /defineItem<[^(]*>\(\s*'((?:local|sync|session|managed):[^']+)'/g,
          ))
            keys.add(m[1]!);
      }
    };
    walk(join(APP_DIR, 'src'));
    expect(keys.size).toBeGreaterThan(0);
    const policy = read('PRIVACY.md');
    const documented = new Set(
      [...policy.matchAll(/^\| `((?:local|sync|session|managed):[^`]+)` \|/gm)].map((m) => m[1]!),
    );
    expect([...documented].sort()).toEqual([...keys].sort());
  });

  it('give AMO build instructions whose commands exist', () => {
    const scripts = (
      JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    const used = [...read('AMO-SOURCE.md').matchAll(/--filter @baton\/extension ([a-z:]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(scripts[s], `package.json has no "${s}" script`).toBeDefined();
    expect(existsSync(join(APP_DIR, 'assets', 'icon.svg'))).toBe(true);
  });
});
