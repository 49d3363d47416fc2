import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import type { CacheStore } from '@baton/core/llm';
import { CliError } from '../command.ts';

const LineSchema = z.object({ key: z.string().min(1), value: z.string() });

/**
 * The model guard's answer cache in a JSONL file (`{ key, value }` a line; the key is the hash of the
 * redacted input, the value the validated answer, placeholders not restored). Read once when the
 * command starts and appended to on every new answer, so that the next run asks nothing it asked
 * before: a replay with a model repeats itself exactly and costs nothing the second time.
 */
export function createFileCacheStore(path: string): CacheStore & { readonly loaded: number } {
  const entries = new Map<string, string>();
  if (existsSync(path)) {
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() === '') return;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          throw new CliError(`--llm-cache ${path}: line ${i + 1} is not JSON; remove the file to start a new cache`, 2);
        }
        const parsed = LineSchema.safeParse(json);
        if (!parsed.success)
          throw new CliError(
            `--llm-cache ${path}: line ${i + 1} is not a cache entry ({ key, value }); remove the file to start a new cache`,
            2,
          );
        entries.set(parsed.data.key, parsed.data.value);
      });
  }
  return {
    loaded: entries.size,
    get: async (key) => entries.get(key),
    set: async (key, value) => {
      if (entries.get(key) === value) return;
      entries.set(key, value);
      appendFileSync(path, `${JSON.stringify({ key, value })}\n`);
    },
  };
}
