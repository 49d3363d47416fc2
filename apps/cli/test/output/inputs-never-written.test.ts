import { copyFileSync, existsSync, linkSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RUNNING_CSV = join(FIXTURES, 'eventlogs', 'running-example.csv');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const CHARTER = join(FIXTURES, 'charters', 'receipt.yaml');

async function baton(args: string[], cwd = mkdtempSync(join(tmpdir(), 'baton-out-'))) {
  const c = captureIo();
  const code = await runCli(args, { ...c.io, cwd });
  return { code, out: c.out(), err: c.err(), cwd };
}

/** A copy of a fixture inside a fresh directory, under the given name. */
function placed(fixture: string, name: string): { dir: string; path: string; before: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-out-'));
  const path = join(dir, name);
  copyFileSync(fixture, path);
  return { dir, path, before: readFileSync(path) };
}

describe('an output never lands on a file the command reads', () => {
  for (const name of ['cases.csv', 'events.csv']) {
    it(`analyze refuses an input named ${name} inside --out, and leaves it as it was`, async () => {
      const input = placed(RUNNING_CSV, name);
      const r = await baton(['analyze', input.path, '--out', input.dir]);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`writing ${name} would replace the input`);
      expect(readFileSync(input.path)).toEqual(input.before);
      expect(existsSync(join(input.dir, 'kpis.json'))).toBe(false);
    });
  }

  it('analyze refuses an output that is the input under another name (a hard link or a symbolic link)', async () => {
    const input = placed(RUNNING_CSV, 'log.csv');
    linkSync(input.path, join(input.dir, 'states.csv'));
    const hard = await baton(['analyze', input.path, '--out', input.dir]);
    expect(hard.code).toBe(2);
    expect(hard.err).toMatch(/writing states\.csv would replace the input .*log\.csv \(the same file\)/);
    const other = placed(RUNNING_CSV, 'log.csv');
    symlinkSync(other.path, join(other.dir, 'events.csv'));
    const soft = await baton(['analyze', other.path, '--out', other.dir]);
    expect(soft.code).toBe(2);
    expect(readFileSync(other.path)).toEqual(other.before);
  });

  it('analyze refuses a configuration file named like an output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-out-'));
    const costs = join(dir, 'states.csv');
    copyFileSync(join(FIXTURES, 'charters', 'costs.yaml'), costs);
    const before = readFileSync(costs);
    const r = await baton(['analyze', RUNNING_CSV, '--costs', costs, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('would replace the costs file');
    expect(readFileSync(costs)).toEqual(before);
  });

  it('analyze refuses --out naming the input file itself', async () => {
    const input = placed(RUNNING_CSV, 'log.csv');
    const r = await baton(['analyze', input.path, '--out', input.path]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out .*log\.csv is the input/);
    expect(readFileSync(input.path)).toEqual(input.before);
  });

  it('replay refuses an input or a charter named like one of its outputs', async () => {
    const input = placed(RECEIPT, 'decisions.csv');
    const r = await baton(['replay', input.path, '--charter', CHARTER, '--out', input.dir]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('writing decisions.csv would replace the input');
    expect(readFileSync(input.path)).toEqual(input.before);
    const charter = placed(CHARTER, 'summary.json');
    const c = await baton(['replay', RECEIPT, '--charter', charter.path, '--out', charter.dir]);
    expect(c.code).toBe(2);
    expect(c.err).toContain('writing summary.json would replace the charter');
    expect(readFileSync(charter.path)).toEqual(charter.before);
  });

  it('refuses an empty --out instead of writing into the working directory', async () => {
    const r = await baton(['analyze', RUNNING_CSV, '--out', '']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--out: expected a directory, got an empty value');
    expect(existsSync(join(r.cwd, 'kpis.json'))).toBe(false);
    const replay = await baton(['replay', RECEIPT, '--charter', CHARTER, '--out', ' ']);
    expect(replay.code).toBe(2);
  });

  it.runIf(existsSync('/proc/self'))('refuses --out under /proc at once, with the reason', async () => {
    const r = await baton(['analyze', RUNNING_CSV, '--out', '/proc/baton-x']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--out \/proc\/baton-x: cannot create .*\(E[A-Z]+\)/);
  });

  it('route-eval refuses --save-model naming its --train file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-out-'));
    const train = join(dir, 'train.jsonl.gz');
    copyFileSync(join(FIXTURES, 'jira-export', 'appcelerator-300.jsonl.gz'), train);
    const before = readFileSync(train);
    const r = await baton([
      'route-eval',
      '--train',
      train,
      '--split-date',
      '2016-01-01',
      '--field',
      'component',
      '--save-model',
      train,
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--save-model');
    expect(readFileSync(train)).toEqual(before);
  });
});
