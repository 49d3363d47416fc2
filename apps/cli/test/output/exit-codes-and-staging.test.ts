import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/run.ts';
import { captureIo } from '../capture-io.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const RUNNING_CSV = join(FIXTURES, 'eventlogs', 'running-example.csv');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const CHARTER = join(FIXTURES, 'charters', 'receipt.yaml');
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'baton.mjs');
const HEADER = 'case:concept:name,concept:name,time:timestamp,org:resource\n';

async function baton(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'baton-exit-'));
  const c = captureIo();
  const code = await runCli(args, { ...c.io, cwd });
  return { code, out: c.out(), err: c.err(), cwd };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Every file of a directory with its bytes, to compare a directory before and after. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, sha256(join(dir, name))]));
}

function file(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-exit-')), name);
  writeFileSync(path, content);
  return path;
}

describe('exit codes a script can trust', () => {
  it('analyze exits 1 and writes nothing when nothing could be analysed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exit-'));
    const garbage = file('garbage.csv', 'this is not,an event log\n1,2\n');
    const corrupt = file(
      'log.xes.gz',
      Buffer.concat([gzipSync('<log><trace>'), Buffer.from('garbage')]).subarray(0, 20),
    );
    const noCases = file('only-bad.csv', `${HEADER}A,Open,not a time,ann\n`);
    const empty = file('empty.csv', '');
    const folder = mkdtempSync(join(tmpdir(), 'baton-exit-dir-'));
    for (const input of [garbage, corrupt, noCases, empty, folder]) {
      const out = join(dir, `out-${readdirSync(dir).length}`);
      const r = await baton(['analyze', input, '--out', out]);
      expect(r.code, `${input}: ${r.err}`).toBe(1);
      expect(readdirSync(dir)).not.toContain(out.split('/').pop());
    }
    const r = await baton(['analyze', noCases, '--out', join(dir, 'x')]);
    expect(r.err).toContain('nothing could be analysed in only-bad.csv: no case (1 record skipped, e.g.');
  });

  it('a repeated single-value option is a usage error, not the last one silently', async () => {
    const r = await baton(['analyze', RUNNING_CSV, '--format', 'csv', '--format', 'xes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('option --format given more than once');
  });

  it('--strict fails on any skipped record and writes nothing; without it the good records are kept', async () => {
    const log = file(
      'log.csv',
      `${HEADER}A,Open,2024-03-04T09:00:00Z,ann\nA,Done,2024-03-05T09:00:00Z,bob\nB,Open,never,ann\n`,
    );
    const out = join(dirname(log), 'out');
    const strict = await baton(['analyze', log, '--out', out, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.err).toContain('--strict: 1 record skipped, so nothing was written');
    expect(readdirSync(dirname(log))).toEqual(['log.csv']);
    const lenient = await baton(['analyze', log, '--out', out]);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'kpis.json'), 'utf8'))).toMatchObject({ cases: 1 });
    const replay = await baton(['replay', log, '--charter', CHARTER, '--out', join(dirname(log), 'r'), '--strict']);
    expect(replay.code).toBe(1);
    expect(replay.err).toContain('--strict: 1 record skipped');
  });
});

describe('outputs are staged and moved into place whole, with run.json', () => {
  it('analyze writes run.json naming every input and output with its size and SHA-256, and no local path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exit-'));
    const out = join(dir, 'report');
    const r = await baton(['analyze', RUNNING_CSV, '--out', out, '--title', 'T']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(out, 'run.json'), 'utf8');
    const run = JSON.parse(text) as {
      command: string;
      version: string;
      completedAt: string;
      inputs: { name: string; bytes: number; sha256: string }[];
      outputs: { name: string; bytes: number; sha256: string }[];
      options: Record<string, unknown>;
    };
    expect(run.command).toBe('analyze');
    expect(run.inputs).toEqual([
      {
        role: 'input',
        name: 'running-example.csv',
        bytes: readFileSync(RUNNING_CSV).length,
        sha256: sha256(RUNNING_CSV),
      },
    ]);
    expect(run.outputs.map((o) => o.name).sort()).toEqual([
      'cases.csv',
      'events.csv',
      'kpis.json',
      'report.html',
      'states.csv',
    ]);
    for (const o of run.outputs) {
      expect(o.sha256).toBe(sha256(join(out, o.name)));
      expect(o.bytes).toBe(readFileSync(join(out, o.name)).length);
    }
    expect(run.options).toEqual({ title: 'T' });
    expect(Date.parse(run.completedAt)).not.toBeNaN();
    expect(text).not.toContain(FIXTURES);
    expect(text).not.toContain(dir);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain(FIXTURES);
    // Nothing is left beside --out.
    expect(readdirSync(dir)).toEqual(['report']);
  });

  it('a failed run leaves the previous complete run untouched, and other files in --out alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exit-'));
    const out = join(dir, 'out');
    expect((await baton(['analyze', RUNNING_CSV, '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const before = snapshot(out);
    const bad = file('bad.csv', `${HEADER}A,Open,never,ann\n`);
    expect((await baton(['analyze', bad, '--out', out])).code).toBe(1);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['out']);
    // A second good run replaces the outputs and keeps the user's file.
    const other = join(dir, 'receipt.csv');
    copyFileSync(RECEIPT, other);
    expect((await baton(['analyze', other, '--out', out])).code).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { inputs: { name: string }[] };
    expect(run.inputs.map((i) => i.name)).toEqual(['receipt.csv']);
    expect(readdirSync(dir).sort()).toEqual(['out', 'receipt.csv']);
  });

  it('a run killed with SIGKILL leaves its staging directory, and the next run removes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exit-'));
    const out = join(dir, 'out');
    expect((await baton(['analyze', RUNNING_CSV, '--out', out])).code).toBe(0);
    const before = snapshot(out);
    // The input is a named pipe nobody writes: the child stages its run, then waits on the pipe for ever.
    const fifo = join(dir, 'log.csv');
    execFileSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [BIN, 'analyze', fifo, '--out', out, '--quiet'], {
      env: { PATH: process.env.PATH ?? '', CI: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    const staging = () => readdirSync(dir).filter((n) => n.startsWith('.out.baton-'));
    while (staging().length === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // Nothing ran to clean up: the killed run's staging directory is left, named after its process.
    expect(staging()).toEqual([expect.stringMatching(new RegExp(`^\\.out\\.baton-${child.pid}-`))]);
    expect(snapshot(out)).toEqual(before);

    // A staging directory of a process still running (another run into the same --out) is left alone.
    const live = join(dir, `.out.baton-${process.ppid}-abcdef`);
    mkdirSync(live);
    const next = join(dir, 'receipt.csv');
    copyFileSync(RECEIPT, next);
    expect((await baton(['analyze', next, '--out', out])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      '.out.baton-' + String(process.ppid) + '-abcdef',
      'log.csv',
      'out',
      'receipt.csv',
    ]);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { inputs: { name: string }[] };
    expect(run.inputs.map((i) => i.name)).toEqual(['receipt.csv']);
  }, 60_000);

  it('replay stages its outputs too and records the audit head in run.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-exit-'));
    const out = join(dir, 'nested', 'replay');
    mkdirSync(dirname(out));
    const r = await baton(['replay', RECEIPT, '--charter', CHARTER, '--out', out]);
    expect(r.code).toBe(0);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      inputs: { role: string; name: string }[];
      audit: { entries: number; head: string };
    };
    expect(run.inputs.map((i) => `${i.role}:${i.name}`)).toEqual([
      'input:receipt-40-cases.csv',
      'charter:receipt.yaml',
    ]);
    expect(run.audit.head).toMatch(/^[0-9a-f]{64}$/);
    expect(readdirSync(dirname(out))).toEqual(['replay']);
  });
});

describe('terminal output hygiene', () => {
  it('prints control characters from the data as visible escapes', async () => {
    const log = file(
      'log.csv',
      `${HEADER}A,Open,2024-03-04T09:00:00Z,ann\nB\u001b[2K,Open,\u001b]0;pwned\u0007\u001b[2J,ann\n`,
    );
    const r = await baton(['analyze', log, '--out', join(dirname(log), 'out')]);
    expect(r.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- the control characters are what is checked
    expect(r.out + r.err).not.toMatch(/[\u001b\u0007\r]/);
    expect(r.out).toContain('\\u001b]0;pwned\\u0007');
  });
});
