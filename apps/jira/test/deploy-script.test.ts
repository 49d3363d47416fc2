import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, parseDeployArgs, PLACEHOLDER_APP_ID } from '../scripts/deploy.ts';
import type { DeploySteps } from '../scripts/deploy.ts';
import { MANIFEST } from './forge-harness.ts';

/** An app directory whose manifest carries `appId` (the real manifest otherwise). */
function appDir(appId: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-deploy-'));
  writeFileSync(join(dir, 'manifest.yml'), readFileSync(MANIFEST, 'utf8').replace(PLACEHOLDER_APP_ID, appId));
  return dir;
}

function steps(dir: string, opts: { check?: boolean; exit?: (args: readonly string[]) => number } = {}) {
  const ran: string[] = [];
  const s: DeploySteps = {
    check: () => {
      ran.push('deploy:check');
      return opts.check ?? true;
    },
    run: (cmd, args) => {
      ran.push([cmd, ...args].join(' '));
      return opts.exit?.(args) ?? 0;
    },
    dirOf: () => dir,
    log: () => undefined,
  };
  return { s, ran };
}

const REGISTERED = 'ari:cloud:ecosystem::app/3f1c2b7e-5d4a-4c1b-9e2f-0a1b2c3d4e5f';

describe('pnpm --filter jira deploy', () => {
  it('reads its arguments, with defaults, and names a bad one', () => {
    expect(parseDeployArgs([])).toEqual({ edition: 'default', environment: 'development', upgrade: false });
    expect(
      parseDeployArgs([
        '--',
        '--edition',
        'openai',
        '--environment',
        'production',
        '--site',
        'acme.atlassian.net',
        '--upgrade',
      ]),
    ).toEqual({ edition: 'openai', environment: 'production', site: 'acme.atlassian.net', upgrade: true });
    expect(() => parseDeployArgs(['--site', 'https://acme.example.com'])).toThrow(/--site: a Jira Cloud site/);
    expect(() => parseDeployArgs(['--env', 'production'])).toThrow(/unknown argument '--env'/);
    expect(() => parseDeployArgs(['--edition', 'slackish'])).toThrow(/--edition/);
  });

  it('checks, deploys and installs with the Forge CLI from the app directory', () => {
    const { s, ran } = steps(appDir(REGISTERED));
    expect(deploy(parseDeployArgs(['--site', 'acme.atlassian.net', '--upgrade']), s)).toEqual({ ok: true });
    expect(ran).toEqual([
      'forge --version',
      'deploy:check',
      'forge deploy --environment development --non-interactive',
      'forge install --environment development --product jira --site acme.atlassian.net --non-interactive --upgrade',
    ]);
  });

  it('deploys nothing when deploy:check fails, when the app is not registered, or without the CLI', () => {
    const failing = steps(appDir(REGISTERED), { check: false });
    expect(deploy(parseDeployArgs([]), failing.s)).toEqual({
      ok: false,
      error: expect.stringMatching(/deploy:check failed/),
    });
    expect(failing.ran.some((r) => r.startsWith('forge deploy'))).toBe(false);

    const unregistered = steps(appDir(PLACEHOLDER_APP_ID));
    expect(deploy(parseDeployArgs([]), unregistered.s)).toEqual({
      ok: false,
      error: expect.stringMatching(/run `forge register` in/),
    });
    expect(unregistered.ran.some((r) => r.startsWith('forge deploy'))).toBe(false);

    const noCli = steps(appDir(REGISTERED), { exit: (args) => (args[0] === '--version' ? 127 : 0) });
    expect(deploy(parseDeployArgs([]), noCli.s)).toEqual({
      ok: false,
      error: expect.stringMatching(/npm install -g @forge\/cli/),
    });
    expect(noCli.ran).toEqual(['forge --version']);
  });

  it('says an install over an existing one needs --upgrade', () => {
    const { s } = steps(appDir(REGISTERED), { exit: (args) => (args[0] === 'install' ? 1 : 0) });
    expect(deploy(parseDeployArgs(['--site', 'acme.atlassian.net']), s)).toEqual({
      ok: false,
      error: expect.stringMatching(/needs --upgrade/),
    });
  });
});
