import { readFile, stat } from 'node:fs/promises';
import { formatIssue, type Issue, type Result } from '@baton/core';
import { CliError } from '../command.ts';

/**
 * A configuration file (charter, calendar, costs, workflow) is a policy a person writes: a few
 * kilobytes. Anything past this is refused before it is parsed, so that a 50 MB string or a
 * generated document cannot cost gigabytes of memory.
 */
export const CONFIG_MAX_BYTES = 1 << 20;

/** The text of a configuration file, refused with the reason when missing, unreadable or too big. */
export async function readConfigText(path: string, what: string): Promise<string> {
  try {
    const size = (await stat(path)).size;
    if (size > CONFIG_MAX_BYTES)
      throw new CliError(`${what} ${path}: ${size} bytes; a configuration file may hold at most ${CONFIG_MAX_BYTES}`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

/**
 * Reads a JSON or YAML config file (calendar, costs, workflow) and validates it with a core
 * `define*` function. Every failure names the file and the field (or line) and what was expected.
 */
export async function loadConfigFile<T>(path: string, what: string, define: (input: unknown) => Result<T>): Promise<T> {
  const text = await readConfigText(path, `${what} file`);
  let input: unknown;
  if (/\.json$/i.test(path) || /^\s*[{[]/.test(text)) {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${what} file ${path}: not valid JSON (${(error as Error).message})`);
    }
  } else {
    const { parseDocument } = await import('yaml');
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
