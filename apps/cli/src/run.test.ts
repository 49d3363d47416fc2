import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands.ts';
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

  it('lists each command by the name and summary its module gives it (the module is loaded when run)', async () => {
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
    }
  });

  it("loads a command's module for its --help", async () => {
    const c = captureIo();
    expect(await runCli(['audit', '--help'], c.io)).toBe(0);
    expect(c.out()).toContain('Usage: baton audit');
  });

  it('rejects an unknown command with exit code 2 and names it', async () => {
    const c = captureIo();
    expect(await runCli(['anlyze'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown command 'anlyze'");
  });
});
