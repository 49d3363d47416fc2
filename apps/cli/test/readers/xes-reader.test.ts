import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import { readXes } from '../../src/readers/xes-reader.ts';
import { DATA, FIXTURES, collect, tempFile } from './collect.ts';

const RUNNING = join(FIXTURES, 'eventlogs', 'running-example.xes');
const BPIC13 = join(DATA, 'bpic2013-incidents.xes.gz');
const options = defineReadOptions();

describe('readXes', () => {
  it('reads the running example: 6 cases, 42 events (published counts)', async () => {
    const r = await collect(readXes(RUNNING, options));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(6);
    expect(r.events).toBe(42);
    const case3 = r.cases.find((c) => c.id === '3');
    expect(case3?.attributes).toEqual({ creator: 'Fluxicon Nitro' });
    expect(case3?.events[0]).toMatchObject({
      caseId: '3',
      kind: 'activity',
      from: null,
      to: 'register request',
      state: 'register request',
      owner: 'Pete',
      actor: 'Pete',
      offsetMinutes: 60,
      at: Date.parse('2010-12-30T13:32:00Z'),
    });
    expect(case3?.events[1]).toMatchObject({ from: 'register request', to: 'examine casually', owner: 'Mike' });
  });

  it('reads the bundled BPIC 2013 incidents: 7,554 cases, 65,533 events (published counts)', async () => {
    const r = await collect(readXes(BPIC13, options));
    expect(r.skips).toEqual([]);
    expect(r.cases).toHaveLength(7554);
    expect(r.events).toBe(65533);
    expect(r.progress.at(-1)).toEqual({ bytesRead: 1322247, bytesTotal: 1322247 });
    // Lifecycle sub-statuses are kept: waiting on the user is a state of its own.
    const states = new Set(r.cases.flatMap((c) => c.events.map((e) => e.state)));
    expect(states).toContain('Accepted/Wait - User');
    expect(states).toContain('Queued/Awaiting Assignment');
    const first = r.cases.find((c) => c.id === '1-364285768');
    expect(first?.events[0]).toMatchObject({ to: 'Accepted/In Progress', owner: 'Frederic', actor: 'Frederic' });
  });

  it("keeps a trace's attributes but its case id, typed; an <int> id or a later duplicate is what counts", async () => {
    const trace = (head: string) =>
      `<trace>${head}<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2020-01-02T00:00:00Z"/></event></trace>`;
    const path = tempFile(
      'ids.xes',
      `<log>${trace('<string key="region" value="x"/><string key="concept:name" value="c1"/><int key="n" value="2"/>')}` +
        `${trace('<int key="concept:name" value="7"/>')}` +
        `${trace('<int key="concept:name" value="8"/><string key="concept:name" value="c3"/>')}</log>`,
    );
    const r = await collect(readXes(path, options));
    expect(r.cases.map((c) => [c.id, c.attributes])).toEqual([
      ['c1', { region: 'x', n: 2 }],
      ['c3', {}],
    ]);
    expect(r.skips.map((s) => [s.code, s.location.record])).toEqual([['case.missing-id', 1]]);
    // The case id as the due date (`--due case:concept:name`): read before it is set apart.
    const due = tempFile('due.xes', `<log>${trace('<string key="concept:name" value="2020-03-01T00:00:00Z"/>')}</log>`);
    const d = await collect(readXes(due, defineReadOptions({ eventLog: { dueKey: 'case:concept:name' } })));
    expect(d.cases.map((c) => [c.id, c.due, c.attributes])).toEqual([
      ['2020-03-01T00:00:00Z', Date.parse('2020-03-01T00:00:00Z'), {}],
    ]);
  });

  it('takes the owner from --owner (org:group for support teams)', async () => {
    const r = await collect(readXes(BPIC13, defineReadOptions({ eventLog: { ownerKey: 'org:group' } })));
    const first = r.cases.find((c) => c.id === '1-364285768');
    expect(first?.events.slice(0, 3).map((e) => e.owner)).toEqual(['V30', 'V30', 'V5 3rd']);
    expect(first?.events[0]?.actor).toBe('Frederic');
  });

  it('reports a bad timestamp with its line and skips only that trace', async () => {
    const text = readFileSync(RUNNING, 'utf8');
    const lines = text.split('\n');
    // Line 102 holds the first timestamp of the second trace (case 2).
    expect(lines[101]).toContain('time:timestamp');
    lines[101] = lines[101]!.replace('2010-12-30T11:32:00.000+01:00', '30/12/2010 11:32');
    const bad = await collect(readXes(tempFile('bad-ts.xes', lines.join('\n')), options));
    expect(bad.skips).toHaveLength(1);
    expect(bad.skips[0]).toMatchObject({
      code: 'event.bad-timestamp',
      location: { line: 102, record: '2', field: 'time:timestamp' },
    });
    expect(bad.skips[0]?.message).toContain("'30/12/2010 11:32' is not an ISO 8601 timestamp");
    // The other five cases are exactly what a clean read gives.
    const good = await collect(readXes(RUNNING, options));
    const strip = (cs: typeof good.cases) => cs.map((c) => ({ ...c, source: '' }));
    expect(strip(bad.cases)).toEqual(strip(good.cases.filter((c) => c.id !== '2')));
  });

  it('skips the trace holding malformed XML, naming the line, and reads every other trace', async () => {
    const lines = readFileSync(RUNNING, 'utf8').split('\n');
    // Break the closing tag of the second trace's first event (line 105 is `</event>`).
    const at = lines.findIndex((l, i) => i > 100 && l.includes('</event>'));
    lines[at] = '    </evnt>';
    const r = await collect(readXes(tempFile('bad.xes', lines.join('\n')), options));
    // Before, the rest of the file was not read: only trace 3 (before the break) was kept.
    expect(r.cases.map((c) => c.id)).toEqual(['3', '1', '6', '5', '4']);
    expect(r.skips).toHaveLength(1);
    expect(r.skips[0]?.code).toBe('xml.malformed');
    expect(r.skips[0]?.location.line).toBe(at + 1);
    expect(r.skips[0]?.message).toContain('expected </event>');
    expect(r.skips[0]?.message).toContain('trace skipped, read on from the next <trace>');
    expect(r.skips[0]?.location.record).toBe('2');
  });

  it('reads on after malformed XML in the header and after a trace opened twice', async () => {
    const text = readFileSync(RUNNING, 'utf8');
    const header = text.replace(
      '<string key="creator" value="Fluxicon Nitro"/>',
      '<string key="creator" value=Fluxicon/>',
    );
    const r = await collect(readXes(tempFile('header.xes', header), options));
    expect(r.cases.map((c) => c.id)).toEqual(['3', '2', '1', '6', '5', '4']);
    expect(r.skips.map((s) => [s.code, s.location.line])).toEqual([['xml.malformed', 3]]);
    // A stray <trace> between two traces: the next trace is read whole under its own name.
    const stray = text.replace('</trace>\n  <trace>', '</trace>\n  <trace>\n  <trace>');
    const s = await collect(readXes(tempFile('stray.xes', stray), options));
    expect(s.cases.map((c) => c.id)).toEqual(['3', '2', '1', '6', '5', '4']);
  });

  it('reports a truncated gzip file and keeps the complete traces before the cut', async () => {
    const gz = gzipSync(readFileSync(RUNNING));
    const path = tempFile('cut.xes.gz', gz.subarray(0, Math.floor(gz.length * 0.8)));
    const r = await collect(readXes(path, options));
    expect(r.skips.map((s) => s.code)).toEqual(['file.truncated']);
    expect(r.skips[0]?.location.file).toBe(path);
    expect(r.skips[0]?.message).toMatch(/truncated/);
    expect(r.cases.length).toBeGreaterThan(0);
    expect(r.cases.length).toBeLessThan(6);
  });

  it('reports a file that ends inside a trace', async () => {
    const text = readFileSync(RUNNING, 'utf8');
    const r = await collect(
      readXes(tempFile('short.xes', text.slice(0, text.indexOf('<trace>', 3000) + 200)), options),
    );
    expect(r.skips[0]?.code).toBe('xml.malformed');
    expect(r.skips[0]?.message).toMatch(/ends (inside a tag, )?before <\/event> \(opened on line 99\)/);
  });

  it('reports a missing file as a skip, not a crash', async () => {
    const r = await collect(readXes('/nonexistent/log.xes', options));
    expect(r.skips.map((s) => s.code)).toEqual(['file.unreadable']);
  });

  it('reports a character reference beyond U+10FFFF as malformed XML on its line, skipping its trace only', async () => {
    // Before, String.fromCodePoint threw an uncaught RangeError.
    const lines = readFileSync(RUNNING, 'utf8').split('\n');
    const at = lines.findIndex((l, i) => i > 100 && l.includes('concept:name'));
    lines[at] = lines[at]!.replace(/value="[^"]*"/, 'value="x&#x110000;y"');
    const r = await collect(readXes(tempFile('charref.xes', lines.join('\n')), options));
    expect(r.cases.map((c) => c.id)).toEqual(['3', '1', '6', '5', '4']);
    expect(r.skips.map((s) => [s.code, s.location.line])).toEqual([['xml.malformed', at + 1]]);
    expect(r.skips[0]?.message).toContain("'&#x110000;'");
    const ok = lines.slice();
    ok[at] = ok[at]!.replace('&#x110000;', '&#x10FFFF;&amp;');
    const fine = await collect(readXes(tempFile('charref-ok.xes', ok.join('\n')), options));
    expect(fine.skips).toEqual([]);
    expect(fine.cases).toHaveLength(6);
  });

  it('names a 20 MB attribute value as too long (not "not closed"), skips its trace and reads the rest', async () => {
    const lines = readFileSync(RUNNING, 'utf8').split('\n');
    const at = lines.findIndex((l, i) => i > 100 && l.includes('org:resource'));
    lines[at] = lines[at]!.replace(/value="[^"]*"/, `value="${'x'.repeat(20 << 20)}"`);
    const r = await collect(readXes(tempFile('huge.xes', lines.join('\n')), options));
    expect(r.skips.map((s) => [s.code, s.location.line, s.location.field])).toEqual([
      ['xml.value-too-long', at + 1, 'value'],
    ]);
    expect(r.skips[0]?.message).toMatch(
      /attribute 'value' of <string> is longer than 1 MiB \(the attribute limit\); trace skipped/,
    );
    expect(r.cases).toHaveLength(5);
  });

  it('names an empty file and a file with no XML element', async () => {
    const empty = await collect(readXes(tempFile('empty.xes', ''), options));
    expect(empty.skips.map((s) => s.code)).toEqual(['file.empty']);
    const blank = await collect(readXes(tempFile('blank.xes', '\n  \n'), options));
    expect(blank.skips.map((s) => s.code)).toEqual(['xes.empty']);
  });
});
