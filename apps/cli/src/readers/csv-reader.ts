import { basename } from 'node:path';
import { parseTimestamp } from '@baton/core';
import { buildLogCase, caseAttributeName, type LogEvent } from './event-log-case.ts';
import { CsvSyntaxError, createCsvSplitter, type CsvRow, type CsvSplitter } from './csv-rows.ts';
import { InputReadError, readText } from './open-text.ts';
import { createFileProgress } from './progress.ts';
import type { ReadItem, Reader, SkippedRecord } from './types.ts';

interface CaseState {
  readonly attributes: Record<string, string>;
  readonly events: LogEvent[];
  due?: string;
  dueLine?: number;
  problem?: SkippedRecord;
}

interface Columns {
  readonly width: number;
  readonly caseId: number;
  readonly activity: number;
  readonly timestamp: number;
  readonly owner: number;
  readonly actor: number;
  readonly lifecycle: number;
  readonly due: number;
  /** [column index, attribute name] of the `case:` columns that describe the case as a whole. */
  readonly caseAttributes: readonly (readonly [number, string])[];
}

/** `,` unless the header line clearly uses `;` or a tab (spreadsheet exports). */
function sniffDelimiter(firstLine: string): string {
  const count = (d: string) => firstLine.split(d).length - 1;
  const candidates: [string, number][] = [
    [',', count(',')],
    [';', count(';')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0] !== undefined && candidates[0][1] > 0 ? candidates[0][0] : ',';
}

/**
 * Streams a CSV event log (one event a row, a header row first). Rows of a case may be anywhere in
 * the file, so cases are grouped in memory (per-case state only: compact events, not rows) and
 * emitted at the end. A bad row skips its case, reported with its line; a row with no case id is
 * skipped alone.
 */
export const readCsv: Reader = async function* (path, options) {
  const file = path;
  const source = basename(path);
  const o = options.eventLog;
  const cases = new Map<string, CaseState>();
  const out: ReadItem[] = [];
  let columns: Columns | undefined;
  let splitter: CsvSplitter | undefined;
  let pendingHead = '';
  let fatal = false;

  const skipRow = (row: CsvRow, code: string, message: string, field?: string) =>
    out.push({
      type: 'skip',
      skipped: {
        code,
        location: field === undefined ? { file, line: row.line } : { file, line: row.line, field },
        message,
      },
    });

  function header(row: CsvRow): void {
    const names = row.fields.map((f) => f.trim());
    const find = (key: string | undefined) => (key === undefined ? -1 : names.indexOf(key));
    const missing: string[] = [];
    const need = (key: string, flag: string) => {
      const i = find(key);
      if (i === -1) missing.push(`'${key}' (${flag})`);
      return i;
    };
    const caseId = need(o.caseKey, '--case');
    const activity = need(o.activityKey, '--activity');
    const timestamp = need(o.timestampKey, '--timestamp');
    if (missing.length > 0) {
      fatal = true;
      skipRow(
        row,
        'csv.missing-column',
        `the header has no column ${missing.join(', ')}; columns are: ${names.join(', ')}. Name the right ones with the flags in brackets`,
      );
      return;
    }
    const due = find(o.dueKey);
    const caseAttributes: [number, string][] = [];
    names.forEach((name, i) => {
      if (name.startsWith('case:') && i !== caseId && i !== due) caseAttributes.push([i, caseAttributeName(name)]);
    });
    columns = {
      width: names.length,
      caseId,
      activity,
      timestamp,
      owner: find(o.ownerKey),
      actor: find('org:resource'),
      lifecycle: find(o.lifecycleKey),
      due,
      caseAttributes,
    };
  }

  function row(r: CsvRow, c: Columns): void {
    const f = r.fields;
    if (f.length === 1 && f[0]?.trim() === '') return;
    const id = f[c.caseId]?.trim() ?? '';
    if (f.length !== c.width) {
      if (id === '') {
        skipRow(r, 'csv.row-width', `expected ${c.width} fields as in the header, found ${f.length}; row skipped`);
        return;
      }
    }
    if (id === '') {
      skipRow(r, 'csv.missing-case', `the case column '${o.caseKey}' is empty; row skipped`, o.caseKey);
      return;
    }
    let state = cases.get(id);
    if (state === undefined) {
      const attributes: Record<string, string> = {};
      for (const [i, name] of c.caseAttributes) {
        const v = f[i];
        if (v !== undefined && v !== '') attributes[name] = v;
      }
      state = { attributes, events: [] };
      cases.set(id, state);
    }
    if (state.problem !== undefined) return;
    const bad = (code: string, field: string, message: string) => {
      (state as CaseState).problem = {
        code,
        location: { file, line: r.line, record: id, field },
        message: `${message}; case skipped`,
      };
    };
    if (f.length !== c.width) {
      bad('csv.row-width', '', `expected ${c.width} fields as in the header, found ${f.length}`);
      return;
    }
    const activity = f[c.activity] ?? '';
    if (activity === '') {
      bad('event.missing-activity', o.activityKey, `the activity column '${o.activityKey}' is empty`);
      return;
    }
    const rawTs = f[c.timestamp] ?? '';
    const ts = parseTimestamp(rawTs);
    if (ts === undefined) {
      bad(
        'event.bad-timestamp',
        o.timestampKey,
        `'${rawTs}' is not an ISO 8601 timestamp (like 2011-10-11 13:45:40+02:00)`,
      );
      return;
    }
    if (c.due !== -1 && state.due === undefined) {
      const due = f[c.due];
      if (due !== undefined && due !== '') {
        state.due = due;
        state.dueLine = r.line;
      }
    }
    state.events.push({
      at: ts.at,
      offsetMinutes: ts.offsetMinutes,
      activity,
      lifecycle: c.lifecycle === -1 ? undefined : f[c.lifecycle],
      owner: c.owner === -1 ? undefined : f[c.owner],
      actor: c.actor === -1 ? undefined : f[c.actor],
    });
  }

  function take(rows: CsvRow[]): void {
    for (const r of rows) {
      if (fatal) return;
      if (columns === undefined) header(r);
      else row(r, columns);
    }
  }

  const { progress, total } = await createFileProgress(path);
  try {
    for await (const chunk of readText(path)) {
      if (splitter === undefined) {
        pendingHead += chunk.text;
        const nl = pendingHead.indexOf('\n');
        if (nl === -1) continue;
        splitter = createCsvSplitter(sniffDelimiter(pendingHead.slice(0, nl)));
        take(splitter.push(pendingHead));
        pendingHead = '';
      } else {
        take(splitter.push(chunk.text));
      }
      if (fatal) break;
      const p = progress(chunk.bytesRead);
      if (p !== undefined) out.push(p);
      if (out.length > 0) yield* out.splice(0);
    }
    if (!fatal) {
      splitter ??= createCsvSplitter(sniffDelimiter(pendingHead));
      if (pendingHead !== '') take(splitter.push(pendingHead));
      take(splitter.end());
    }
  } catch (error) {
    yield* out.splice(0);
    if (error instanceof CsvSyntaxError) {
      yield {
        type: 'skip',
        skipped: {
          code: 'csv.malformed',
          location: { file, line: error.line },
          message: `malformed CSV: ${error.message}`,
        },
      };
    } else if (error instanceof InputReadError) {
      yield {
        type: 'skip',
        skipped: {
          code: error.code,
          location: { file },
          message: `${error.message}; the rest of the file is not read`,
        },
      };
    } else {
      throw error;
    }
    // Cases read so far may be incomplete (their later rows are lost): do not report them as good.
    if (cases.size > 0) {
      yield {
        type: 'skip',
        skipped: {
          code: 'file.incomplete',
          location: { file },
          message: `${cases.size} case(s) read before the error were dropped: their remaining rows may be missing`,
        },
      };
    }
    return;
  }
  yield* out.splice(0);
  if (columns === undefined && !fatal) {
    yield {
      type: 'skip',
      skipped: { code: 'csv.empty', location: { file, line: 1 }, message: 'the file has no header row' },
    };
  }
  for (const [id, state] of cases) {
    if (state.problem !== undefined) {
      yield { type: 'skip', skipped: state.problem };
      continue;
    }
    let due: number | undefined;
    if (state.due !== undefined) {
      const parsed = parseTimestamp(state.due);
      if (parsed === undefined) {
        yield {
          type: 'skip',
          skipped: {
            code: 'case.bad-due',
            location: { file, line: state.dueLine ?? 0, record: id, field: o.dueKey ?? '' },
            message: `'${state.due}' is not an ISO 8601 timestamp; case skipped`,
          },
        };
        continue;
      }
      due = parsed.at;
    }
    yield {
      type: 'case',
      record: buildLogCase({ id, source, attributes: state.attributes, due, events: state.events }),
    };
  }
  const done = progress(total, true);
  if (done !== undefined) yield done;
};
