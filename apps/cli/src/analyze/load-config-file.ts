import { readFile } from 'node:fs/promises';
import { formatIssue, type Issue, type Result } from '@baton/core';
import { parseDocument } from 'yaml';
import { CliError } from '../command.ts';

/**
 * Reads a JSON or YAML config file (calendar, costs, workflow) and validates it with a core
 * `define*` function. Every failure names the file and the field (or line) and what was expected.
 */
export async function loadConfigFile<T>(path: string, what: string, define: (input: unknown) => Result<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${what} file ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let input: unknown;
  if (/\.json$/i.test(path) || /^\s*[{[]/.test(text)) {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${what} file ${path}: not valid JSON (${(error as Error).message})`);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true });
    const first = doc.errors[0];
    if (first !== undefined) {
      const line = first.linePos?.[0];
      const where = line === undefined ? '' : `:${line.line}:${line.col}`;
      throw new CliError(
        `${what} file ${path}${where}: not valid YAML (${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')})`,
      );
    }
    input = doc.toJS();
  }
  const result = define(input);
  if (!result.ok) throw new CliError(formatConfigIssues(path, what, result.issues));
  return result.value;
}

export function formatConfigIssues(path: string, what: string, issues: readonly Issue[]): string {
  const lines = issues.slice(0, 10).map((i) => `  ${formatIssue(i)}`);
  const more = issues.length > 10 ? [`  … and ${issues.length - 10} more`] : [];
  return [`${what} file ${path} is invalid:`, ...lines, ...more].join('\n');
}
