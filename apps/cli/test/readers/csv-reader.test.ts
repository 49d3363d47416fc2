import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvSplitter } from '../../src/readers/csv-rows.ts';
import { readCsv } from '../../src/readers/csv-reader.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readXes } from '../../src/readers/xes-reader.ts';
import { FIXTURES, collect, tempFile } from './collect.ts';

const RUNNING_CSV = join(FIXTURES, 'eventlogs', 'running-example.csv');
const RUNNING_XES = join(FIXTURES, 'eventlogs', 'running-example.xes');
const RECEIPT = join(FIXTURES, 'eventlogs', 'receipt-40-cases.csv');
const options = defineReadOptions();

describe('createCsvSplitter', () => {
  it('splits RFC 4180 records: quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF', () => {
    const s = createCsvSplitter();
    const rows = [...s.push('a,b,c\r\n1,"x, ""y""",3\n2,"multi\nline",'), ...s.push('4\n5,6,7'), ...s.end()];
    expect(rows).toEqual([
      { fields: ['a', 'b', 'c'], line: 1 },
      { fields: ['1', 'x, "y"', '3'], line: 2 },
      { fields: ['2', 'multi\nline', '4'], line: 3 },
      { fields: ['5', '6', '7'], line: 5 },
    ]);
  });

  it('throws on a quote that never closes, naming the line', () => {
    const s = createCsvSplitter();
    s.push('a,b\n1,"open\n');
    expect(() => s.end()).toThrow(/not closed/);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = readFileSync(RECEIPT, 'utf8').slice(0, 6000) + '\nq,"a ""b""\nc",d\r\n';
    const whole = createCsvSplitter();
    const expected = [...whole.push(text), ...whole.end()];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const s = createCsvSplitter();
        const rows = [];
        let from = 0;
        for (const p of [...points, text.length]) {
          rows.push(...s.push(text.slice(from, p)));
          from = p;
        }
        rows.push(...s.end());
        expect(rows).toEqual(expected);
      }),
      { numRuns: 60 },
    );
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
});
