import { describe, expect, it } from 'vitest';
import { runCli, VERSION } from './run.ts';
import { captureIo } from '../test/capture-io.ts';

describe('runCli', () => {
  it('prints usage for --help', async () => {
    const c = captureIo();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: baton <command>');
  });

  it('prints the version', async () => {
    const c = captureIo();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.out().trim()).toBe(VERSION);
  });

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const c = captureIo();
    expect(await runCli(['anlyze'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown command 'anlyze'");
  });
});
