import { basename } from 'node:path';
import { formatIssue, formatPath, type Issue, type StateCategoryHints } from '@baton/core';
import { classifyJiraDocument, mapIssue } from '@baton/jira';
import { InputReadError, readErrorSkip, readText } from './open-text.ts';
import { createFileProgress } from './progress.ts';
import {
  type BatchReader,
  oneByOne,
  type ReadItem,
  type ReadOptions,
  type Reader,
  type SkippedRecord,
} from './types.ts';

/** Histories of a bulk changelog response, by Jira issue id. */
export type ChangelogIndex = ReadonlyMap<string, readonly unknown[]>;

const JSONL_NAME = /\.(jsonl|ndjson)(\.gz)?$/i;

interface Where {
  readonly line?: number;
  readonly record?: number | string;
}

function keyOf(raw: unknown): string | undefined {
  const key = (raw as { key?: unknown } | null)?.key;
  return typeof key === 'string' ? key : undefined;
}

function idOf(raw: unknown): string | undefined {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

function skipOf(file: string, where: Where, issues: readonly Issue[], prefix: (string | number)[] = []): SkippedRecord {
  const first = issues[0];
  const field = first === undefined ? undefined : formatPath([...prefix, ...first.path]);
  return {
    code: first?.code ?? 'jira.invalid',
    location: { file, ...where, ...(field ? { field } : {}) },
    message: `${issues.map((i) => formatIssue({ ...i, path: [...prefix, ...i.path] })).join('; ')}; issue skipped`,
  };
}

/**
 * A reader of Jira REST JSON: JSONL (one issue — or one search page — a line, read line by line),
 * or one JSON document (a search response, a single issue, an array of issues), which is parsed
 * whole: JSON documents are as large as one API page, while big exports come as JSONL.
 * Histories from bulk changelog responses (`changelogs`) are joined to issues by id.
 */
export function createJiraBatchReader(changelogs: ChangelogIndex = new Map()): BatchReader {
  return async function* readJira(path: string, options: ReadOptions) {
    const file = path;
    const source = basename(path);
    const hints: StateCategoryHints = new Map();
    const out: ReadItem[] = [];

    function issue(raw: unknown, where: Where, prefix: (string | number)[]): void {
      const id = idOf(raw);
      const extra = id === undefined ? undefined : changelogs.get(id);
      const r = mapIssue(
        raw,
        extra === undefined
          ? { source, ownerField: options.jiraOwnerField }
          : { source, ownerField: options.jiraOwnerField, extraHistories: extra },
      );
      const record = keyOf(raw) ?? where.record;
      const at: Where = record === undefined ? where : { ...where, record };
      if (!r.ok) {
        out.push({ type: 'skip', skipped: skipOf(file, at, r.issues, prefix) });
        return;
      }
      // The analysis resolves a case's states when the case arrives: new categories go first.
      const fresh: StateCategoryHints = new Map();
      for (const [state, category] of r.value.hints) {
        if (hints.has(state)) continue;
        hints.set(state, category);
        fresh.set(state, category);
      }
      if (fresh.size > 0) out.push({ type: 'hints', hints: fresh });
      out.push({ type: 'case', record: r.value.record });
    }

    function document(json: unknown, where: Where): void {
      const doc = classifyJiraDocument(json);
      if (!doc.ok) {
        out.push({ type: 'skip', skipped: skipOf(file, where, doc.issues) });
        return;
      }
      // A changelog file read in the main pass was already joined by readInputs.
      if (doc.value.kind === 'changelogs') return;
      const single = doc.value.issues.length === 1 && !Array.isArray(json) && !('issues' in (json as object));
      doc.value.issues.forEach((raw, i) => {
        const prefix = single ? [] : Array.isArray(json) ? [i] : ['issues', i];
        issue(raw, where.line === undefined ? { record: i } : where, prefix);
      });
    }

    const { progress, total } = await createFileProgress(path);
    const jsonl = JSONL_NAME.test(path);
    let whole = '';
    let pending = '';
    let line = 0;
    try {
      for await (const chunk of readText(path)) {
        if (jsonl) {
          pending += chunk.text;
          let nl = pending.indexOf('\n');
          let start = 0;
          while (nl !== -1) {
            line++;
            jsonLine(pending.slice(start, nl), line);
            start = nl + 1;
            nl = pending.indexOf('\n', start);
          }
          pending = pending.slice(start);
        } else {
          whole += chunk.text;
        }
        const p = progress(chunk.bytesRead);
        if (p !== undefined) out.push(p);
        if (out.length > 0) yield out.splice(0);
      }
    } catch (error) {
      if (out.length > 0) yield out.splice(0);
      if (!(error instanceof InputReadError)) throw error;
      yield [{ type: 'skip', skipped: readErrorSkip(file, error) }];
      if (hints.size > 0) yield [{ type: 'hints', hints }];
      return;
    }
    if (jsonl) {
      if (pending.trim() !== '') jsonLine(pending, line + 1);
    } else if (whole.trim() !== '') {
      let json: unknown;
      let parsed = false;
      try {
        json = JSON.parse(whole);
        parsed = true;
      } catch (error) {
        // Not one document: JSON Lines under a .json name?
        const lines = whole.split('\n');
        if (lines.filter((l) => l.trim() !== '').length > 1 && isJsonObject(lines[0] ?? '')) {
          lines.forEach((l, i) => jsonLine(l, i + 1));
        } else {
          out.push({
            type: 'skip',
            skipped: {
              code: 'json.malformed',
              location: { file, line: lineOfJsonError(whole, error) },
              message: `malformed JSON: ${(error as Error).message}`,
            },
          });
        }
      }
      if (parsed) document(json, {});
    } else {
      out.push({ type: 'skip', skipped: { code: 'json.empty', location: { file }, message: 'the file is empty' } });
    }
    if (out.length > 0) yield out.splice(0);
    if (hints.size > 0) yield [{ type: 'hints', hints }];
    const done = progress(total, true);
    if (done !== undefined) yield [done];

    function jsonLine(text: string, n: number): void {
      if (text.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        out.push({
          type: 'skip',
          skipped: {
            code: 'json.malformed',
            location: { file, line: n },
            message: `malformed JSON on this line: ${(error as Error).message}; line skipped`,
          },
        });
        return;
      }
      document(json, { line: n });
    }
  };
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

// V8 reports "... at position 1234" (and newer versions "(line 3 column 5)"): turn it into a line.
function lineOfJsonError(text: string, error: unknown): number | undefined {
  const message = (error as Error).message;
  const explicit = /line (\d+)/.exec(message);
  if (explicit) return Number(explicit[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return undefined;
  const upto = text.slice(0, Number(pos[1]));
  return upto.split('\n').length;
}

/** `createJiraBatchReader` one item at a time. */
export function createJiraReader(changelogs: ChangelogIndex = new Map()): Reader {
  return oneByOne(createJiraBatchReader(changelogs));
}

/** The plain Jira reader (no bulk changelogs to join), in batches and one item at a time. */
export const readJiraBatches: BatchReader = createJiraBatchReader();
export const readJira: Reader = oneByOne(readJiraBatches);

/**
 * Reads a bulk changelog response (`POST /rest/api/3/changelog/bulkfetch`, one page a file or one
 * page a JSONL line) into an index by issue id, for `createJiraReader`.
 */
export async function readChangelogs(path: string): Promise<{ index: Map<string, unknown[]>; skips: SkippedRecord[] }> {
  const index = new Map<string, unknown[]>();
  const skips: SkippedRecord[] = [];
  let text = '';
  try {
    for await (const chunk of readText(path)) text += chunk.text;
  } catch (error) {
    if (!(error instanceof InputReadError)) throw error;
    skips.push(readErrorSkip(path, error));
    return { index, skips };
  }
  const pages: { json: unknown; line?: number }[] = [];
  try {
    pages.push({ json: JSON.parse(text) });
  } catch {
    text.split('\n').forEach((l, i) => {
      if (l.trim() === '') return;
      try {
        pages.push({ json: JSON.parse(l), line: i + 1 });
      } catch (error) {
        skips.push({
          code: 'json.malformed',
          location: { file: path, line: i + 1 },
          message: `malformed JSON: ${(error as Error).message}`,
        });
      }
    });
  }
  for (const page of pages) {
    const doc = classifyJiraDocument(page.json);
    if (!doc.ok) {
      skips.push(skipOf(path, page.line === undefined ? {} : { line: page.line }, doc.issues));
      continue;
    }
    if (doc.value.kind !== 'changelogs') continue;
    for (const [id, histories] of doc.value.changelogs) {
      const list = index.get(id) ?? [];
      list.push(...histories);
      index.set(id, list);
    }
  }
  return { index, skips };
}
