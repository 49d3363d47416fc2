import { formatIssue } from '@baton/core';
import type { Charter, Issue, Result } from '@baton/core';
import { parse, stringify } from 'yaml';
import { parseAppCharter } from '../contracts/charter.ts';

/**
 * YAML text → core's charter (`parseCharter`: migrations, every problem by path), plus what the app
 * cannot carry out in Jira (`appCharterIssues`), or the problems located by path (`slaGoals.0.target: ...`).
 */
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
  return parseAppCharter(raw);
}

export const charterToYaml = (c: Charter): string => stringify(c);
export const describeIssues = (issues: readonly Issue[]): string => issues.map(formatIssue).join('\n');
