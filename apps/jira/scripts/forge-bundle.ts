import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** What scripts/forge-bundle.cjs reports after running `@forge/bundler` on an app directory. */
export interface ForgeBundleReport {
  outputDir?: string;
  files?: Record<string, number>;
  additionalOutputs?: string[];
  metadata?: { bundler?: string; errors: number; dependencies: string[]; sdkImports: string[] };
  ms?: number;
  error?: string;
}

/**
 * Runs Forge's bundler on `appDir` as `forge deploy` does (in a CommonJS child process: the bundler
 * needs `require.main`). Offline: the runtime wrapper the CLI downloads is a placeholder.
 */
export function forgeBundle(appDir: string): ForgeBundleReport {
  try {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'forge-bundle.cjs'), appDir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as ForgeBundleReport;
  } catch (e) {
    const stdout = (e as { stdout?: string }).stdout ?? '';
    const last = stdout.trim().split('\n').at(-1);
    if (last?.startsWith('{')) return JSON.parse(last) as ForgeBundleReport;
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
