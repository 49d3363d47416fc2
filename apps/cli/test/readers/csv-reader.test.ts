import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCsvScanner,
  DEFAULT_CSV_LIMITS,
  fieldText,
  type CsvLimits,
  type CsvProblem,
} from '../../src/readers/csv-scanner.ts';
import { CsvNeedsTwoPasses, readCsv, readCsvBatches } from '../../src/readers/csv-reader.ts';
import { createHashThread } from '../../src/output/hash-thread.ts';
import { createInputDigest } from '../../src/readers/input-digest.ts';
import type { ReadItem } from '../../src/readers/types.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readXes } from '../../src/readers/xes-reader.ts';
import { FIXTURES, collect, tempFile } from './collect.ts';

const RUNNING_CSV = join(FIXTURES, 'eventlogs', 'running-example.csv');
const RUNNING_XES = join(FIXTURES, 'eventlogs', 'running-example.xes');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const options = defineReadOptions();

interface Scanned {
  readonly rows: { fields: string[]; line: number }[];
  readonly problems: CsvProblem[];
}

/** Scans text cut at the given points (as chunks arrive from a stream) into rows and problems. */
function scan(text: string | Buffer, cuts: number[] = [], limits?: CsvLimits): Scanned {
  const rows: { fields: string[]; line: number }[] = [];
  const problems: CsvProblem[] = [];
  const s = createCsvScanner(
    44,
    (r) => rows.push({ fields: Array.from({ length: r.count }, (_, i) => fieldText(r, i)), line: r.line }),
    (p) => problems.push(p),
    limits,
  );
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  let from = 0;
  for (const p of [...cuts, bytes.length]) {
    s.push(Buffer.from(bytes.subarray(from, p)));
    from = p;
  }
  s.end();
  return { rows, problems };
}

describe('createCsvScanner', () => {
  it('splits RFC 4180 records: quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF', () => {
    const { rows, problems } = scan('a,b,c\r\n1,"x, ""y""",3\n2,"multi\nline",4\n5,6,7', [30]);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x, "y"', '3'], line: 2 },
      { fields: ['2', 'multi\nline', '4'], line: 3 },
      { fields: ['5', '6', '7'], line: 5 },
    ]);
  });

  it('reports a quote that never closes and keeps every record after the line that opened it', () => {
    const { rows, problems } = scan('a,b\n1,"open\n2,x\n3,y\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'csv.unclosed-quote', line: 2 }) as CsvProblem]);
    expect(problems[0]?.message).toContain('resumes on line 3');
    expect(rows).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['2', 'x'], line: 3 },
      { fields: ['3', 'y'], line: 4 },
    ]);
  });

  it('bounds a runaway quote by the field limit, in linear time, and resumes after its line', () => {
    // One stray quote, then 20,000 good records: the quote is given up at the field limit (4 KiB
    // here) and every record after its line is kept, however the input is cut.
    const good = Array.from({ length: 20_000 }, (_, i) => `c${i},x`).join('\n');
    const text = `a,b\nbad,"oops\n${good}\n`;
    const limits = { maxFieldBytes: 4096, maxRecordBytes: 16_384 };
    const { rows, problems } = scan(text, [100, 5000, 70_000], limits);
    expect(problems.map((p) => [p.code, p.line])).toEqual([['csv.field-too-long', 2]]);
    expect(problems[0]?.message).toMatch(/runs past 4 KiB \(the field limit\): its closing quote is probably missing/);
    expect(rows).toHaveLength(20_001);
    expect(rows.at(-1)).toEqual({ fields: ['c19999', 'x'], line: 20_002 });
  });

  it('names an over-long unquoted field or record, skips it, and reads on', () => {
    const huge = 'z'.repeat(5000);
    const { rows, problems } = scan(`a,b\n1,${huge}\n2,ok\n`, [10, 2000], {
      maxFieldBytes: 1000,
      maxRecordBytes: 3000,
    });
    expect(problems.map((p) => p.code)).toEqual(['csv.field-too-long']);
    expect(problems[0]?.message).toContain('field 2 on line 2 is longer than');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['2', 'ok'],
    ]);
    const many = Array.from({ length: 400 }, () => 'abcdefghi').join(',');
    const r2 = scan(`a,b\n${many}\n2,ok\n`, [50], { maxFieldBytes: 1000, maxRecordBytes: 3000 });
    expect(r2.problems.map((p) => [p.code, p.line])).toEqual([['csv.record-too-long', 2]]);
    expect(r2.rows.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['2', 'ok'],
    ]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = readFileSync(RECEIPT, 'utf8').slice(0, 6000) + '\nq,"a ""b""\nc",d\r\n"x"y,"",\n';
    const expected = scan(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: Buffer.byteLength(text) }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        expect(scan(text, points)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
    expect(expected.rows.at(-1)).toEqual({ fields: ['xy', '', ''], line: expected.rows.at(-1)?.line });
  });
});

describe('createCsvScanner: the fast path for records without quotes', () => {
  /** Every callback's content (field bytes, quoted flags, lines, problems), fast path on or off. */
  function trace(text: Buffer, cuts: number[], limits: CsvLimits, keep: number, plain: boolean, delimiter: number) {
    const out: unknown[] = [];
    const s = createCsvScanner(
      delimiter,
      (r) => out.push([r.line, r.count, Array.from({ length: r.count }, (_, i) => [r.quoted[i], fieldText(r, i)])]),
      (p) => out.push([p.code, p.line, p.head, p.message]),
      limits,
      plain,
    );
    if (keep > 0) s.skipAfter(keep - 1);
    let from = 0;
    for (const p of [...cuts, text.length]) {
      s.push(Buffer.from(text.subarray(from, p)));
      from = p;
    }
    s.end();
    return out;
  }

  it('gives what the general scan gives: CR, CRLF, quotes, limits, cuts, one column read', () => {
    // A record skipped for its length resumes before where its scan had looked for the next CR.
    const resumed = Buffer.from('"\n\r\n  ,\r\n\r"\u00e9\u00e9xyz12,;b,');
    const small = { maxFieldBytes: 12, maxRecordBytes: 23 };
    expect(trace(resumed, [6, 12, 16, 23], small, 2, true, 44)).toEqual(
      trace(resumed, [6, 12, 16, 23], small, 2, false, 44),
    );
    const piece = fc.constantFrom('a', 'bb', 'é', ',', ';', '\n', '\r\n', '\r', '"', '""', 'abcdefgh', ' ', ',,');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 8 }),
        fc.record({ maxFieldBytes: fc.integer({ min: 1, max: 40 }), maxRecordBytes: fc.integer({ min: 1, max: 80 }) }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom(44, 59),
        (pieces, cuts, limits, keep, delimiter) => {
          const text = Buffer.from(pieces.join(''));
          const points = [...new Set(cuts.filter((c) => c <= text.length))].sort((a, b) => a - b);
          expect(trace(text, points, limits, keep, true, delimiter)).toEqual(
            trace(text, points, limits, keep, false, delimiter),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads the receipt log as the general scan does, however it is cut', () => {
    const text = readFileSync(RECEIPT);
    const general = trace(text, [5000, 5003, 40_000], DEFAULT_CSV_LIMITS, 0, false, 44);
    expect(general.length).toBeGreaterThan(200);
    expect(trace(text, [5000, 5003, 40_000], DEFAULT_CSV_LIMITS, 0, true, 44)).toEqual(general);
  });
});

describe('createCsvScanner with skipAfter (one column read)', () => {
  /** Records as their first `keep` fields and line, and problems, scanning all or passing over the rest. */
  function scanKeeping(text: Buffer, cuts: number[], keep: number, skip: boolean, limits: CsvLimits) {
    const rows: { fields: string[]; line: number }[] = [];
    const problems: CsvProblem[] = [];
    let first = true;
    const s = createCsvScanner(
      44,
      (r) => {
        rows.push({ fields: Array.from({ length: Math.min(r.count, keep) }, (_, i) => fieldText(r, i)), line: r.line });
        if (first && skip) s.skipAfter(keep - 1);
        first = false;
      },
      (p) => problems.push(p),
      limits,
    );
    let from = 0;
    for (const p of [...cuts, text.length]) {
      s.push(Buffer.from(text.subarray(from, p)));
      from = p;
    }
    s.end();
    return { rows, problems };
  }

  it('gives the records, lines and problems of a full scan, however the text is cut', () => {
    const piece = fc.constantFrom('a', 'bb', ',', ',', '\n', '\r\n', '\r', '"', '"q,\nx"', '""', 'x'.repeat(40), ' ');
    const limits = { maxFieldBytes: 32, maxRecordBytes: 96 };
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        (pieces, cuts, keep) => {
          const text = Buffer.from(`h1,h2,h3\n${pieces.join('')}`);
          const points = [...new Set(cuts.filter((c) => c <= text.length))].sort((a, b) => a - b);
          expect(scanKeeping(text, points, keep, true, limits)).toEqual(scanKeeping(text, points, keep, false, limits));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('passes over the rest of the receipt log records and reads its case column as a full scan does', () => {
    const text = readFileSync(RECEIPT);
    const full = scanKeeping(text, [5000, 40_000], 2, false, DEFAULT_CSV_LIMITS);
    expect(full.rows.length).toBeGreaterThan(200);
    expect(scanKeeping(text, [5000, 40_000], 2, true, DEFAULT_CSV_LIMITS)).toEqual(full);
  });
});

describe('readCsv', () => {
  it('reads the running example: 6 cases, 42 events, the same as its XES twin', async () => {
    const csv = await collect(readCsv(RUNNING_CSV, options));
    const xes = await collect(readXes(RUNNING_XES, options));
    expect(csv.skips).toEqual([]);
    expect(csv.cases).toHaveLength(6);
    expect(csv.events).toBe(42);
    const shape = (cs: typeof csv.cases) =>
      cs
        .map((c) => ({ id: c.id, events: c.events.map((e) => [e.at, e.offsetMinutes, e.to, e.owner]) }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(shape(csv.cases)).toEqual(shape(xes.cases));
    expect(csv.cases.find((c) => c.id === '3')?.attributes).toEqual({ creator: 'Fluxicon Nitro' });
  });

  it('reads case:deadline as the due date and case: columns as attributes', async () => {
    const r = await collect(readCsv(RECEIPT, options));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(40);
    expect(r.events).toBe(228);
    const c = r.cases.find((x) => x.id === 'case-10011');
    expect(c?.due).toBe(Date.parse('2011-12-06T12:41:31.788Z'));
    expect(c?.attributes).toMatchObject({ channel: 'Internet', department: 'General', group: 'Group 2' });
    expect(c?.attributes).not.toHaveProperty('deadline');
    expect(c?.events[0]).toMatchObject({ to: 'Confirmation of receipt', owner: 'Resource21', offsetMinutes: 120 });
  });

  it('groups rows of a case that are not next to each other (order of rows does not matter)', async () => {
    const [header, ...rows] = readFileSync(RUNNING_CSV, 'utf8').trim().split('\n');
    const reversed = await collect(readCsv(tempFile('rev.csv', [header, ...rows.reverse()].join('\n')), options));
    const straight = await collect(readCsv(RUNNING_CSV, options));
    const byId = (cs: typeof straight.cases) => Object.fromEntries(cs.map((c) => [c.id, c.events]));
    expect(byId(reversed.cases)).toEqual(byId(straight.cases));
  });

  it('reads gzip and semicolon-separated files, and honours column flags', async () => {
    const text = readFileSync(RUNNING_CSV, 'utf8').replaceAll(',', ';').replace('case:concept:name', 'ticket');
    const gz = tempFile('semi.csv.gz', gzipSync(text));
    const r = await collect(readCsv(gz, defineReadOptions({ eventLog: { caseKey: 'ticket', ownerKey: 'Resource' } })));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(6);
    expect(r.events).toBe(42);
  });

  it('names a missing column, the flag to use and the columns it found', async () => {
    const text = readFileSync(RUNNING_CSV, 'utf8').replace('time:timestamp', 'when');
    const r = await collect(readCsv(tempFile('nots.csv', text), options));
    expect(r.cases).toEqual([]);
    expect(r.skips).toHaveLength(1);
    expect(r.skips[0]).toMatchObject({ code: 'csv.missing-column', location: { line: 1 } });
    expect(r.skips[0]?.message).toContain("'time:timestamp' (--timestamp)");
    expect(r.skips[0]?.message).toContain('when');
  });

  it('reports a bad timestamp on its line and skips only that case', async () => {
    const lines = readFileSync(RUNNING_CSV, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes(',2,Fluxicon'));
    lines[at] = lines[at]!.replace(/20\d\d-\d\d-\d\d \d\d:\d\d:00\+01:00/, 'yesterday');
    const bad = await collect(readCsv(tempFile('badts.csv', lines.join('\n')), options));
    expect(bad.skips).toEqual([
      expect.objectContaining({
        code: 'event.bad-timestamp',
        location: expect.objectContaining({ line: at + 1, record: '2', field: 'time:timestamp' }),
      }),
    ]);
    expect(bad.skips[0]?.message).toContain("'yesterday' is not an ISO 8601 timestamp");
    const good = await collect(readCsv(RUNNING_CSV, options));
    const strip = (cs: typeof good.cases) => cs.map((c) => ({ ...c, source: '' }));
    expect(strip(bad.cases)).toEqual(strip(good.cases.filter((c) => c.id !== '2')));
  });

  it('skips a row without a case id alone, and a row of the wrong width with its case', async () => {
    const lines = readFileSync(RUNNING_CSV, 'utf8').trimEnd().split('\n');
    lines.push(
      '99,stray,Pete,2011-01-01 10:00:00+01:00,x,Pete,1,,Fluxicon Nitro',
      '100,x,Pete,2011-01-01 10:00:00+01:00,x,Pete,1,3,Fluxicon Nitro,extra',
    );
    const r = await collect(readCsv(tempFile('rows.csv', lines.join('\n')), options));
    expect(r.skips.map((s) => [s.code, s.location.line])).toEqual([
      ['csv.missing-case', 44],
      ['csv.row-width', 45],
    ]);
    expect(r.skips[1]?.location.record).toBe('3');
    expect(r.cases.map((c) => c.id).sort()).toEqual(['1', '2', '4', '5', '6']);
  });

  it('recovers from a quote that never closes: reports it, skips that case, keeps every other case', async () => {
    // Before, the reader buffered the rest of the file and then dropped every case.
    const lines = readFileSync(RUNNING_CSV, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes(',2,Fluxicon'));
    lines[at] = lines[at]!.replace(/^(\d+),/, '$1,"');
    const r = await collect(readCsv(tempFile('stray.csv', lines.join('\n')), options));
    expect(r.skips.map((s) => [s.code, s.location.line, s.location.record])).toEqual([
      ['csv.unclosed-quote', at + 1, undefined],
      ['csv.unclosed-quote', at + 1, '2'],
    ]);
    expect(r.skips[0]?.message).toContain(`resumes on line ${at + 2}`);
    expect(r.cases.map((c) => c.id).sort()).toEqual(['1', '3', '4', '5', '6']);
    const good = await collect(readCsv(RUNNING_CSV, options));
    const strip = (cs: typeof good.cases) => cs.map((c) => ({ ...c, source: '' }));
    expect(strip(r.cases)).toEqual(strip(good.cases.filter((c) => c.id !== '2')));
  });

  it('refuses impossible timestamps with the line: offset +99:99, 24:59, a :60 second', async () => {
    for (const bad of ['2010-12-30 14:32:00+99:99', '2010-12-30 24:59:00+01:00', '2010-12-30 14:32:60+01:00']) {
      const lines = readFileSync(RUNNING_CSV, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.includes(',2,Fluxicon'));
      lines[at] = lines[at]!.replace(/20\d\d-\d\d-\d\d \d\d:\d\d:00\+01:00/, bad);
      const r = await collect(readCsv(tempFile('impossible.csv', lines.join('\n')), options));
      expect(
        r.skips.map((s) => [s.code, s.location.line, s.location.record]),
        bad,
      ).toEqual([['event.bad-timestamp', at + 1, '2']]);
      expect(r.skips[0]?.message).toContain(`'${bad}' is not an ISO 8601 timestamp`);
      expect(r.cases).toHaveLength(5);
    }
  });

  it('takes case ids as written: " 3" and "3" are two cases, not merged silently', async () => {
    const lines = readFileSync(RUNNING_CSV, 'utf8').trimEnd().split('\n');
    lines.push('99,pay,Pete,2011-01-20 10:00:00+01:00,pay,Pete,1, 3,Fluxicon Nitro');
    const r = await collect(readCsv(tempFile('spaces.csv', lines.join('\n')), options));
    expect(r.skips).toEqual([]);
    const ids = r.cases.map((c) => c.id);
    expect(ids).toContain('3');
    expect(ids).toContain(' 3');
    expect(r.cases.find((c) => c.id === ' 3')?.events).toHaveLength(1);
    expect(r.cases.find((c) => c.id === '3')?.events).toHaveLength(9);
  });

  it('names an empty file, an empty gzip and a UTF-16 file instead of reading nothing silently', async () => {
    const empty = await collect(readCsv(tempFile('empty.csv', ''), options));
    expect(empty.skips.map((s) => [s.code, s.message])).toEqual([['file.empty', 'the file is empty: nothing to read']]);
    const gz = await collect(readCsv(tempFile('empty.csv.gz', gzipSync(Buffer.alloc(0))), options));
    expect(gz.skips.map((s) => s.code)).toEqual(['file.empty']);
    const text = readFileSync(RUNNING_CSV, 'utf8');
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.from(text, 'utf16le'),
    ]) {
      const r = await collect(readCsv(tempFile('utf16.csv', bytes), options));
      expect(r.cases).toEqual([]);
      expect(r.skips.map((s) => s.code)).toEqual(['file.encoding']);
      expect(r.skips[0]?.message).toMatch(/UTF-16.*not UTF-8: save it as UTF-8/);
    }
  });

  it('hands each case on at its last row, so memory holds open cases, not the file', async () => {
    // 20,000 cases of 3 rows each (about 1 MB), then one more row of case c0 at the very end.
    const rows = ['case:concept:name,concept:name,time:timestamp'];
    for (let i = 0; i < 20_000; i++) for (let k = 0; k < 3; k++) rows.push(`c${i},step ${k},2020-01-01T0${k}:00:00Z`);
    rows.push('c0,late,2020-02-01T00:00:00Z');
    const order: string[] = [];
    let before = 0;
    for await (const item of readCsv(tempFile('open.csv', `${rows.join('\n')}\n`), options)) {
      if (item.type === 'case') order.push(item.record.id);
      if (item.type === 'progress' && item.bytesRead < item.bytesTotal) before = order.length;
    }
    expect(order).toHaveLength(20_000);
    expect(before).toBeGreaterThan(1000); // cases were handed on while the file was still being read
    expect(order[0]).toBe('c1');
    expect(order.at(-1)).toBe('c0'); // its last row is the file's last
  });
});

/** Every item but progress, in order: a read's cases (as records) and skips. */
async function itemsOf(path: string, onePass: boolean, tap = createInputDigest()): Promise<ReadItem[]> {
  const items: ReadItem[] = [];
  for await (const batch of readCsvBatches(path, { ...options, csvOnePass: onePass }, tap))
    for (const item of batch) if (item.type !== 'progress') items.push(item);
  return items;
}

/** The one-pass read's items, or the `CsvNeedsTwoPasses` it threw. */
async function onePass(path: string): Promise<ReadItem[] | CsvNeedsTwoPasses> {
  try {
    return await itemsOf(path, true);
  } catch (error) {
    if (error instanceof CsvNeedsTwoPasses) return error;
    throw error;
  }
}

const HEADER = 'case:concept:name,concept:name,time:timestamp,org:resource';
const csvOf = (name: string, rows: readonly string[]) => tempFile(name, `${[HEADER, ...rows].join('\n')}\n`);

describe('readCsv in one pass (a file grouped by case)', () => {
  it('hands on what two passes hand on, in the same order, for real logs grouped by case', async () => {
    const SHARED_RECEIPT = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      '..',
      '..',
      'shared',
      'data',
      'eventlogs',
      'receipt.csv',
    );
    for (const path of [RUNNING_CSV, RECEIPT, SHARED_RECEIPT]) {
      const two = await itemsOf(path, false);
      expect(two.length).toBeGreaterThan(5);
      expect(await onePass(path)).toEqual(two);
    }
  });

  it('keeps the order of skips around the cases: blank ids, bad rows, quotes that never close, quoted ids', async () => {
    const rows = [
      ',orphan,2020-01-01T00:00:00Z,x', // no case open yet
      'a,one,2020-01-01T00:00:00Z,p',
      ' ,blank inside a,2020-01-01T00:30:00Z,x', // between two rows of a: before a
      '"a",two,2020-01-01T01:00:00Z,q', // the same case, quoted
      ',blank after a,2020-01-01T01:30:00Z,x', // after a's last row: after a
      'b,one,not a time,p', // b skipped at its last row
      'b,two,2020-01-02T00:00:00Z,p',
      'f,"x ""y""",2020-01-06T00:00:00Z,p',
      'f,two,2020-01-06T01:00:00Z,p',
      'c,one,2020-01-03T00:00:00Z,p',
      'c,"open,2020-01-03T01:00:00Z,p', // a quote that never closes, naming c: c held to the end
      'd,one,2020-01-04T00:00:00Z,p',
      'e,one,2020-01-05T00:00:00Z', // one field short: e skipped
      ',trailing,2020-01-07T00:00:00Z,x',
    ];
    const path = csvOf('skips.csv', rows);
    const two = await itemsOf(path, false);
    const kinds = two.map((i) =>
      i.type === 'case' ? `case ${i.record.id}` : i.type === 'skip' ? i.skipped.code : i.type,
    );
    // The two-pass order this test pins: a before the blank row after it, c (held) at the very end.
    expect(kinds).toEqual([
      'csv.missing-case',
      'csv.missing-case',
      'case a',
      'csv.missing-case',
      'event.bad-timestamp',
      'case f',
      'csv.unclosed-quote',
      'case d',
      'csv.row-width',
      'csv.missing-case',
      'csv.unclosed-quote', // c, held to the end
    ]);
    expect(await onePass(path)).toEqual(two);
  });

  it('stops with CsvNeedsTwoPasses when a case comes back: rows sorted by time, one case split at the end', async () => {
    const [header, ...rows] = readFileSync(RECEIPT, 'utf8').trimEnd().split('\n');
    const at = header!.split(',').indexOf('time:timestamp');
    const byTime = [...rows].sort((x, y) => (x.split(',')[at]! < y.split(',')[at]! ? -1 : 1));
    const sorted = await onePass(tempFile('by-time.csv', [header, ...byTime].join('\n')));
    expect(sorted).toBeInstanceOf(CsvNeedsTwoPasses);
    expect((sorted as Error).message).toMatch(
      /by-time\.csv has rows of case '.+' after other cases' rows \(not grouped by case\)/,
    );
    const split = await onePass(tempFile('split.csv', [header, ...rows.slice(1), rows[0]].join('\n')));
    expect(split).toBeInstanceOf(CsvNeedsTwoPasses);
    // A record that cannot be read and names a case handed on already: two passes hold that case from its first row.
    const late = await onePass(
      csvOf('late-problem.csv', ['a,one,2020-01-01T00:00:00Z,p', 'b,one,2020-01-02T00:00:00Z,p', 'a,"open,x,y']),
    );
    expect(late).toBeInstanceOf(CsvNeedsTwoPasses);
    // A case held to the end (a record of it unreadable) may come back: it was never handed on.
    const held = [
      'a,"open,x,y',
      'a,one,2020-01-01T00:00:00Z,p',
      'b,one,2020-01-02T00:00:00Z,p',
      'a,two,2020-01-03T00:00:00Z,p',
    ];
    const heldPath = csvOf('held.csv', held);
    expect(await onePass(heldPath)).toEqual(await itemsOf(heldPath, false));
    // Cases held to the end are handed on in the order they were met, whatever order their problems came in.
    const long = 'z'.repeat(DEFAULT_CSV_LIMITS.maxFieldBytes + 1);
    const order = csvOf('held-order.csv', [
      'a,one,2020-01-01T00:00:00Z,p',
      `b,${long},2020-01-02T00:00:00Z,p`,
      `a,${long},2020-01-03T00:00:00Z,p`,
      'c,one,2020-01-04T00:00:00Z,p',
    ]);
    const twoOrder = await itemsOf(order, false);
    const named = (i: ReadItem) =>
      i.type === 'case' ? `case ${i.record.id}` : i.type === 'skip' ? `${i.skipped.location.record ?? '-'}` : i.type;
    expect(twoOrder.map(named)).toEqual(['-', '-', 'case c', 'a', 'b']);
    expect(await onePass(order)).toEqual(twoOrder);
  });

  it('stops with CsvNeedsTwoPasses on a file it cannot read to its end (two passes hand on no case of it)', async () => {
    const whole = gzipSync(readFileSync(RECEIPT));
    const truncated = tempFile('cut.csv.gz', whole.subarray(0, Math.floor(whole.length * 0.8)));
    expect(await onePass(truncated)).toBeInstanceOf(CsvNeedsTwoPasses);
    const two = await itemsOf(truncated, false);
    expect(two.filter((i) => i.type === 'case')).toEqual([]);
    expect(two.map((i) => i.type === 'skip' && i.skipped.code).slice(-2)).toEqual([
      'file.truncated',
      'file.incomplete',
    ]);
  });

  it('either hands on what two passes do or stops, on any order of rows; never stops on a grouped one', async () => {
    const row = fc.record({
      id: fc.constantFrom('a', 'b', 'c', '"a"', '', ' ', 'é', '"é"'),
      kind: fc.constantFrom('good', 'good', 'good', 'bad-time', 'narrow', 'open-quote'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 14 }), async (spec) => {
        const rows = spec.map(({ id, kind }, i) => {
          const t = `2020-01-01T00:${String(i).padStart(2, '0')}:00Z`;
          if (kind === 'bad-time') return `${id},step,soon,p`;
          if (kind === 'narrow') return `${id},step,${t}`;
          if (kind === 'open-quote') return `${id},"step,${t},p`;
          return `${id},step ${i},${t},p`;
        });
        const path = csvOf('any.csv', rows);
        const one = await onePass(path);
        const two = await itemsOf(path, false);
        if (!(one instanceof CsvNeedsTwoPasses)) expect(one).toEqual(two);
        // Grouped (each id's rows together, no unreadable record): one pass always finishes.
        const ids = spec.filter((r) => r.id.trim() !== '').map((r) => r.id.replaceAll('"', ''));
        const runs = ids.filter((id, i) => i === 0 || ids[i - 1] !== id);
        if (new Set(runs).size === runs.length && !spec.some((r) => r.kind === 'open-quote'))
          expect(one).not.toBeInstanceOf(CsvNeedsTwoPasses);
      }),
      { numRuns: 150 },
    );
  });

  it('hashes the file as it reads it, once, when a one-pass read stops and two passes follow', async () => {
    const [header, ...rows] = readFileSync(RECEIPT, 'utf8').trimEnd().split('\n');
    const text = [header, ...rows.slice(1), rows[0]].join('\n');
    const path = tempFile('split.csv', text);
    const sha256 = createHash('sha256').update(text).digest('hex');
    // Here, and on a hashing thread (the stopped read's stream is dropped there).
    const thread = createHashThread({ onThread: true });
    try {
      for (const on of [undefined, thread]) {
        const tap = createInputDigest(on && { thread: on, path });
        await expect(itemsOf(path, true, tap)).rejects.toBeInstanceOf(CsvNeedsTwoPasses);
        await itemsOf(path, false, tap);
        expect(await tap.result()).toEqual({ bytes: Buffer.byteLength(text), sha256 });
        const grouped = createInputDigest(on && { thread: on, path: RECEIPT });
        await itemsOf(RECEIPT, true, grouped);
        expect((await grouped.result())?.sha256).toBe(createHash('sha256').update(readFileSync(RECEIPT)).digest('hex'));
      }
      expect(thread.started).toBe(true);
    } finally {
      await thread.close();
    }
  });
});
