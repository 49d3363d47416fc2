import { peekText } from './open-text.ts';
import type { InputFormat } from './types.ts';

const BY_EXTENSION: readonly (readonly [RegExp, InputFormat])[] = [
  [/\.xes(\.gz)?$/i, 'xes'],
  [/\.(csv|tsv)(\.gz)?$/i, 'csv'],
  [/\.(json|jsonl|ndjson)(\.gz)?$/i, 'jira'],
];

/** The format from the file name alone, when the extension says it. */
export function formatFromName(path: string): InputFormat | undefined {
  return BY_EXTENSION.find(([re]) => re.test(path))?.[1];
}

/** The format from the first bytes: `<` is XML (XES), `{`/`[` is Jira JSON, anything else CSV. */
export function formatFromContent(head: string): InputFormat {
  const first = head.trimStart()[0];
  if (first === '<') return 'xes';
  if (first === '{' || first === '[') return 'jira';
  return 'csv';
}

/** `--format` wins; then the extension; then the content. */
export async function detectFormat(path: string, forced?: InputFormat): Promise<InputFormat> {
  return forced ?? formatFromName(path) ?? formatFromContent(await peekText(path, 256));
}
