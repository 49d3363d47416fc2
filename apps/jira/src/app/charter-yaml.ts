import { formatIssue, fromZodIssues } from '@baton/core';
import type { Issue, Result } from '@baton/core';
import { parse, stringify } from 'yaml';
import { CharterSchema } from '../contracts/charter.ts';
import type { Charter } from '../contracts/charter.ts';

/** YAML text → a valid charter, or the problems located by path (`slaGoals[0].target: ...`). */
export function parseCharterYaml(text: string): Result<Charter> {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (e) {
    return {
      ok: false,
      issues: [
        {
          code: 'yaml.syntax',
          path: [],
          message: e instanceof Error ? (e.message.split('\n')[0] ?? 'invalid YAML') : 'invalid YAML',
        },
      ],
    };
  }
  const r = CharterSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: fromZodIssues(r.error.issues) };
}

export const charterToYaml = (c: Charter): string => stringify(c);
export const describeIssues = (issues: readonly Issue[]): string => issues.map(formatIssue).join('\n');
