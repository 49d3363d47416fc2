import * as z from 'zod';

/**
 * The environment the CLI reads, validated once. This is the only file that touches `process.env`
 * for configuration (main.ts passes it in); secrets stay in this object and are never printed.
 */
export const CliEnvSchema = z.object({
  /** Only for `--llm openai`. Never logged, never written to an audit line or a report. */
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  /** Defaults for the `--llm*` flags, so that a team can set them once. Flags win. */
  BATON_LLM: z.enum(['none', 'openai']).optional(),
  BATON_LLM_MODEL: z.string().trim().min(1).optional(),
  BATON_LLM_BASE_URL: z.url().optional(),
  /** Jira Cloud API token for `baton pull --email`. Never logged, never written to the output or its checkpoint. */
  JIRA_API_TOKEN: z.string().trim().min(1).optional(),
  CI: z.string().optional(),
  /** `analyze --jobs n` does not shard inputs with less content than this many bytes (tests lower it). */
  BATON_SHARD_MIN_BYTES: z.coerce.number().int().nonnegative().optional(),
  /** `analyze` reads inputs with less content than this many bytes on its own thread (no pipeline). */
  BATON_PIPELINE_MIN_BYTES: z.coerce.number().int().nonnegative().optional(),
  /**
   * `analyze` hashes run.json's files on this thread for inputs with less content than this; set, on
   * another thread for larger ones even when no core is free (tests set it).
   */
  BATON_HASH_THREAD_MIN_BYTES: z.coerce.number().int().nonnegative().optional(),
  INIT_CWD: z.string().optional(),
});
export type CliEnv = z.infer<typeof CliEnvSchema>;

/** Parses the environment; an invalid value is reported by name only (its value may be a secret). */
export function readEnv(
  source: Record<string, string | undefined>,
): { ok: true; env: CliEnv } | { ok: false; message: string } {
  const empty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
  const picked = Object.fromEntries(Object.keys(CliEnvSchema.shape).map((k) => [k, empty(source[k])]));
  const parsed = CliEnvSchema.safeParse(picked);
  if (parsed.success) return { ok: true, env: parsed.data };
  const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))].join(', ');
  return { ok: false, message: `invalid environment variable(s): ${names}` };
}

/**
 * A secret from a variable the user names on the command line (`baton pull --pat-env JIRA_PAT`):
 * read here, like every other variable, and only when asked for. Names are checked so that a flag
 * cannot be used to read anything but a plain variable.
 */
export function readNamedSecret(source: Record<string, string | undefined>, name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  const value = source[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
