import { describe, expect, it } from 'vitest';
import { runCli, VERSION } from './run.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), interactive: false, cwd: '.' },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('runCli', () => {
  it('prints usage for --help', async () => {
    const c = capture();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: baton <command>');
  });

  it('prints the version', async () => {
    const c = capture();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.out().trim()).toBe(VERSION);
  });

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const c = capture();
    expect(await runCli(['anlyze'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown command 'anlyze'");
  });
});
