import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCharter } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

const CHARTER = join(import.meta.dirname, '..', 'fixtures', 'charters', 'receipt.yaml');

describe('keys that come from the data are plain keys', () => {
  it("replay counts states named 'constructor', '__proto__' and 'toString' like any other", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-proto-'));
    const log = join(dir, 'log.csv');
    const rows = ['constructor', '__proto__', 'toString', 'constructor', '__proto__', 'hasOwnProperty'].map(
      (state, i) => `C1,${state},2011-10-1${i}T09:00:00+02:00,ann`,
    );
    writeFileSync(log, `case:concept:name,concept:name,time:timestamp,org:resource\n${rows.join('\n')}\n`);
    const c = captureIo();
    expect(await runCli(['replay', log, '--charter', CHARTER, '--out', join(dir, 'out')], { ...c.io, cwd: dir })).toBe(
      0,
    );
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8')) as {
      unknownStates: Record<string, number>;
    };
    expect(Object.entries(summary.unknownStates).sort()).toEqual([
      // Each event's state, and the case's last state once more (as for any state).
      ['__proto__', 2],
      ['constructor', 2],
      ['hasOwnProperty', 2],
      ['toString', 1],
    ]);
    expect(c.err()).toContain("'__proto__' (seen 2 times)");
  });

  it("a charter may not name a state '__proto__' (refused, not dropped in silence)", () => {
    const r = parseCharter(JSON.parse('{"version":2,"workflow":{"states":{"__proto__":{"phase":"done"}}}}'));
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual(["a name may not be '__proto__'"]);
  });
});
