// `pnpm --filter jira deploy [--edition default|openai] [--environment development|staging|production]
//                            [--site <name>.atlassian.net] [--upgrade]`
// What a person with a Forge login runs to ship the app: `deploy:check` first (the dashboard and the
// function built, both manifests validated, the function bundled by Forge's own bundler), then
// `forge deploy` from the app's directory (the default app here, an edition under dist/), then
// `forge install` on a site when one is given. Needs the Forge CLI (`npm install -g @forge/cli`),
// `forge login`, and `forge register` once per app (it writes the app's id into its manifest).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import * as z from 'zod';
import { APP_DIR } from './build.ts';
import { EDITIONS, editionDir } from './edition.ts';

/** The id `manifest.yml` carries until `forge register` replaces it. */
export const PLACEHOLDER_APP_ID = 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000';

export const DeployOptionsSchema = z.object({
  edition: z.enum(['default', ...EDITIONS]).default('default'),
  environment: z.enum(['development', 'staging', 'production']).default('development'),
  /** A Jira Cloud site to install on (`forge install`), e.g. `acme.atlassian.net`. */
  site: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*\.atlassian\.net$/, 'a Jira Cloud site such as acme.atlassian.net')
    .optional(),
  /** Install over an existing installation (a new version that asks for new permissions needs it). */
  upgrade: z.boolean().default(false),
});
export type DeployOptions = z.infer<typeof DeployOptionsSchema>;

/** `--edition openai --site acme.atlassian.net --upgrade` → options; an unknown flag or a bad value is an error naming it. */
export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') continue;
    const name = /^--(edition|environment|site|upgrade)$/.exec(a)?.[1];
    if (name === undefined)
      throw new Error(`deploy: unknown argument '${a}' (--edition, --environment, --site, --upgrade)`);
    if (name === 'upgrade') raw.upgrade = true;
    else {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`deploy: --${name} needs a value`);
      raw[name] = v;
    }
  }
  const parsed = DeployOptionsSchema.safeParse(raw);
  if (!parsed.success)
    throw new Error(`deploy: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface DeploySteps {
  /** `deploy:check`; false when anything failed (it prints what). */
  check: () => boolean;
  /** Runs a command in a directory; its exit code. */
  run: (cmd: string, args: readonly string[], cwd: string) => number;
  /** The app's directory per edition. */
  dirOf: (edition: DeployOptions['edition']) => string;
  log: (line: string) => void;
}

/** The deploy, step by step; stops at the first step that fails and says which, and how to fix it. */
export function deploy(opts: DeployOptions, steps: DeploySteps): { ok: true } | { ok: false; error: string } {
  const dir = steps.dirOf(opts.edition);
  if (steps.run('forge', ['--version'], steps.dirOf('default')) !== 0)
    return { ok: false, error: 'the Forge CLI is not installed: npm install -g @forge/cli && forge login' };
  steps.log('deploy:check (build, manifest validation, Forge bundler) …');
  if (!steps.check()) return { ok: false, error: 'deploy:check failed (see above); nothing was deployed' };
  const appId = (parse(readFileSync(join(dir, 'manifest.yml'), 'utf8')) as { app?: { id?: string } }).app?.id;
  if (appId === undefined || appId === PLACEHOLDER_APP_ID)
    return {
      ok: false,
      error: `${join(dir, 'manifest.yml')} has no registered app id: run \`forge register\` in ${dir} once, then deploy again`,
    };
  if (steps.run('forge', ['deploy', '--environment', opts.environment, '--non-interactive'], dir) !== 0)
    return { ok: false, error: `forge deploy to ${opts.environment} failed` };
  if (opts.site !== undefined) {
    const install = [
      'install',
      '--environment',
      opts.environment,
      '--product',
      'jira',
      '--site',
      opts.site,
      '--non-interactive',
      ...(opts.upgrade ? ['--upgrade'] : []),
    ];
    if (steps.run('forge', install, dir) !== 0)
      return {
        ok: false,
        error: `forge install on ${opts.site} failed${opts.upgrade ? '' : ' (an installed app needs --upgrade)'}`,
      };
  }
  steps.log(
    `deployed ${opts.edition === 'default' ? 'Baton' : `Baton (${opts.edition} edition)`} to ${opts.environment}${opts.site ? ` and installed on ${opts.site}` : ''}`,
  );
  return { ok: true };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let opts: DeployOptions;
  try {
    opts = parseDeployArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const run = (cmd: string, args: readonly string[], cwd: string): number =>
    spawnSync(cmd, args, { cwd, stdio: 'inherit' }).status ?? 1;
  const r = deploy(opts, {
    check: () => run('tsx', [join(APP_DIR, 'scripts', 'deploy-check.ts')], APP_DIR) === 0,
    run,
    dirOf: (edition) => (edition === 'default' ? APP_DIR : editionDir(edition)),
    log: (line) => console.log(line),
  });
  if (!r.ok) {
    console.error(`deploy: ${r.error}`);
    process.exit(1);
  }
}
