import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import type { RoutingInput } from '@baton/core/classify';
import { CliError } from '../command.ts';
import { splitCsv } from '../readers/csv-scanner.ts';

/**
 * Labelled inputs for `route-eval`: a Jira export (JSON array, `{issues: [...]}`, or JSONL, each
 * optionally gzipped) or a CSV with `title`, `body`, `label` columns. Every problem names the file
 * and the line. This is a deliberately small reader of the fields routing needs; the full Jira
 * readers (changelogs, comments as events) live in `readers/`.
 */
export interface LoadedInputs {
  readonly file: string;
  readonly format: 'jira' | 'csv';
  readonly inputs: readonly RoutingInput[];
  /** Line of each input in the file, for messages. */
  readonly lines: readonly number[];
  readonly skippedEmpty: number;
}

const Named = z.object({ name: z.string() }).passthrough();
const Person = z
  .object({ name: z.string().optional(), key: z.string().optional(), accountId: z.string().optional() })
  .passthrough();

const JiraIssueSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  key: z.string().min(1),
  fields: z
    .object({
      summary: z.string().nullish(),
      description: z.string().nullish(),
      environment: z.string().nullish(),
      created: z.string().nullish(),
      project: z.object({ key: z.string() }).passthrough().nullish(),
      issuetype: Named.nullish(),
      priority: Named.nullish(),
      resolution: Named.nullish(),
      components: z.array(Named).nullish(),
      labels: z.array(z.string()).nullish(),
      reporter: Person.nullish(),
      assignee: Person.nullish(),
    })
    .passthrough(),
});

const personId = (p: z.infer<typeof Person> | null | undefined) => p?.accountId ?? p?.name ?? p?.key;

function jiraInput(issue: z.infer<typeof JiraIssueSchema>): RoutingInput {
  const f = issue.fields;
  const fields: Record<string, string | readonly string[]> = {};
  const set = (k: string, v: string | undefined | null) => {
    if (v !== undefined && v !== null && v !== '') fields[k] = v;
  };
  set('project', f.project?.key);
  set('issuetype', f.issuetype?.name);
  set('priority', f.priority?.name);
  set('resolution', f.resolution?.name);
  set('reporter', personId(f.reporter));
  set('assignee', personId(f.assignee));
  fields['components'] = (f.components ?? []).map((c) => c.name);
  fields['labels'] = f.labels ?? [];
  const created = f.created ? Date.parse(f.created) : Number.NaN;
  // The environment is typed by the reporter at creation, so it is fair text for routing.
  const body = [f.description ?? '', f.environment ?? ''].filter((s) => s !== '').join('\n');
  return {
    id: issue.key,
    title: f.summary ?? '',
    body,
    ...(Number.isNaN(created) ? {} : { createdAt: created }),
    fields,
  };
}

/** The file's records (RFC 4180, via the readers' splitter), with the line each starts on. */
function parseCsv(file: string, text: string): { cells: string[]; line: number }[] {
  const { rows, problems } = splitCsv(text);
  const problem = problems[0];
  if (problem !== undefined) throw new CliError(`${file}:${problem.line}: ${problem.message}`);
  return rows
    .filter((row) => row.fields.length > 1 || row.fields[0] !== '')
    .map((row) => ({ cells: row.fields, line: row.line }));
}

function loadCsv(file: string, text: string): LoadedInputs {
  const rows = parseCsv(file, text);
  const header = rows[0];
  if (header === undefined) throw new CliError(`${file}: empty CSV (expected a header with title, body, label)`);
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const col = (name: string) => names.indexOf(name);
  const missing = ['title', 'body', 'label'].filter((n) => col(n) < 0);
  if (missing.length > 0) {
    throw new CliError(`${file}:1: CSV header lacks ${missing.join(', ')} (found: ${names.join(', ')})`);
  }
  const inputs: RoutingInput[] = [];
  const lines: number[] = [];
  rows.slice(1).forEach((row, n) => {
    const title = row.cells[col('title')] ?? '';
    const body = row.cells[col('body')] ?? '';
    const label = (row.cells[col('label')] ?? '').trim();
    if (title.trim() === '' && body.trim() === '') {
      throw new CliError(`${file}:${row.line}: empty text (both title and body are empty)`);
    }
    if (label === '') throw new CliError(`${file}:${row.line}: empty label`);
    // File order stands in for time: put older rows first.
    inputs.push({ id: `${basename(file)}:${row.line}`, title, body, createdAt: n, fields: { label } });
    lines.push(row.line);
  });
  if (inputs.length === 0) throw new CliError(`${file}: no rows after the header`);
  return { file, format: 'csv', inputs, lines, skippedEmpty: 0 };
}

function loadJira(file: string, text: string): LoadedInputs {
  const inputs: RoutingInput[] = [];
  const lines: number[] = [];
  let skippedEmpty = 0;
  const take = (value: unknown, line: number) => {
    const parsed = JiraIssueSchema.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first === undefined ? '' : ` at ${first.path.join('.') || '(root)'}: ${first.message}`;
      throw new CliError(`${file}:${line}: not a Jira issue {key, fields}${where}`);
    }
    const input = jiraInput(parsed.data);
    if (input.title.trim() === '' && input.body.trim() === '') {
      skippedEmpty++;
      return;
    }
    inputs.push(input);
    lines.push(line);
  };
  const trimmed = text.trimStart();
  if (
    trimmed.startsWith('[') ||
    (trimmed.startsWith('{') && /^\{\s*"(issues|startAt|expand|maxResults|total)"/.test(trimmed))
  ) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    const issues = Array.isArray(doc) ? doc : (doc as { issues?: unknown }).issues;
    if (!Array.isArray(issues)) throw new CliError(`${file}: expected an array of Jira issues or {"issues": [...]}`);
    issues.forEach((issue, i) => take(issue, i + 1));
  } else {
    text.split('\n').forEach((raw, i) => {
      if (raw.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new CliError(`${file}:${i + 1}: not valid JSON (${(error as Error).message})`);
      }
      take(value, i + 1);
    });
  }
  if (inputs.length === 0) throw new CliError(`${file}: no Jira issues with a summary or description`);
  return { file, format: 'jira', inputs, lines, skippedEmpty };
}

/** Reads a labelled file; throws CliError naming the file (and line) when it cannot be used. */
export async function loadLabelledFile(file: string): Promise<LoadedInputs> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CliError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      throw new CliError(`${file}: looks gzipped but does not decompress`);
    }
  }
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new CliError(`${file}: empty file`);
  return /\.csv(\.gz)?$/i.test(file) ? loadCsv(file, text) : loadJira(file, text);
}
