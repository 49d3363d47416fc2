import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The app's rooms are the ones its README lists under "Where things live" (`src/<room>/`), so a room
// cannot appear (or `domain/`, gone with the translators of issue #15, come back) without the README
// saying what belongs there. `contracts/` is read by every room and the frontend: it imports none of them.

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

describe("the Jira app's source rooms", () => {
  it('are the rooms the README lists, and there is no domain/', () => {
    const rooms = readdirSync(SRC)
      .filter((name) => statSync(join(SRC, name)).isDirectory())
      .sort();
    expect(rooms).toEqual(roomsInReadme(readme));
    expect(rooms).not.toContain('domain');
  });

  it('contracts/ imports no other room of the app', () => {
    const contracts = join(SRC, 'contracts');
    const reaching = [...sources(contracts)].flatMap((path) =>
      [...readFileSync(path, 'utf8').matchAll(/from\s+'(\.\.\/[^']+)'/g)]
        .map((m) => m[1] ?? '')
        .filter((spec) => {
          const [room] = relative(SRC, join(path, '..', spec)).split('/');
          return room !== 'contracts' && statSync(join(SRC, room ?? '')).isDirectory();
        })
        .map((spec) => `${relative(SRC, path)} imports ${spec}`),
    );
    expect(reaching).toEqual([]);
  });

  it('reads the rooms a README line names', () => {
    expect(roomsInReadme('- `src/app/`: use cases; `src/contracts/`: schemas; `src/app/` again')).toEqual([
      'app',
      'contracts',
    ]);
  });
});
