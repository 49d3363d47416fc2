import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ByteChunk } from '../../src/readers/open-text.ts';
import { defineReadOptions } from '../../src/readers/read-options.ts';
import type { ReadItem, ReadOptions } from '../../src/readers/types.ts';
import {
  ATTRIBUTE,
  CLOSE_EVENT,
  CLOSE_TRACE,
  createKeyTable,
  createXesElement,
  OPEN_EVENT,
  OPEN_TRACE,
  readXesElement,
} from '../../src/readers/xes-elements.ts';
import { readXesChunks } from '../../src/readers/xes-reader.ts';
import { DEFAULT_XML_LIMITS } from '../../src/readers/xml-tokenizer.ts';

// The XES reader's fast path (xes-elements.ts, wired in xes-reader.ts) against the general
// tokenizer alone: the same items — cases, skips with their messages and lines — on generated
// XES, however the bytes are cut into chunks.

async function* chunksOf(doc: Buffer, cuts: readonly number[]): AsyncGenerator<ByteChunk> {
  const points = [...new Set(cuts.map((c) => Math.min(c, doc.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const at of [...points, doc.length]) {
    if (at > from) yield { bytes: doc.subarray(from, at), bytesRead: at };
    from = at;
  }
}

/** Every item but progress (which follows the chunks), in order. */
async function items(doc: Buffer, cuts: readonly number[], fastPath: boolean, options: ReadOptions) {
  const out: ReadItem[] = [];
  for await (const batch of readXesChunks('gen.xes', options, chunksOf(doc, cuts), { fastPath }))
    for (const item of batch) if (item.type !== 'progress') out.push(item);
  return out;
}

const KEYS = [
  'concept:name',
  'concept:name2',
  'time:timestamp',
  'org:resource',
  'org:group',
  'lifecycle:transition',
  'deadline',
  'amount',
  'dismissal',
  'concept&#58;name', // decodes to concept:name: only the general path decodes keys
  'a&amp;b',
  'multi\nline',
];
const VALUE_PARTS = [
  'Create Fine',
  'A',
  '2006-07-24T00:00:00+02:00',
  '2011-10-01 00:38:44.546Z',
  '',
  'é→',
  '&amp;',
  '&lt;x&gt;',
  '\n',
  "'",
  'a long value that is well over thirty-two bytes, crossed with indexOf',
];
// What makes a trace be skipped: a bad timestamp, a bad character reference, a bare '&', a '<'.
const BAD_PARTS = [
  '2010-13-01T00:00:00Z',
  '&#x110000;',
  '&',
  '<',
  'a value over thirty-two bytes long, then a < in it',
];
const TYPES = ['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container', 'strong'];
const GAPS = ['\n\t\t', '', ' ', '\n', '\n<!-- a comment -->\n', '<?pi x?>', '<![CDATA[<x>]]>', 'text'];

const gap = fc.constantFrom(...GAPS);
const value = fc
  .array(fc.oneof({ arbitrary: fc.constantFrom(...VALUE_PARTS), weight: 40 }, fc.constantFrom(...BAD_PARTS)), {
    minLength: 1,
    maxLength: 3,
  })
  .map((p) => p.join(''));
const ACTIVITIES = ['Create Fine', 'Send Fine', 'Send Fine', 'Payment', 'Pay &amp; close', 'Appeal\nto Judge'];
const TIMESTAMPS = [
  '2006-07-24T00:00:00+02:00',
  '2006-12-05T00:00:00.250+01:00',
  '2007-01-05 10:00Z',
  '2006-13-05T00:00:00Z',
];

/** One attribute element: usually the shape the fast path knows, sometimes a variant of it. */
const attribute = fc
  .record({
    type: fc.constantFrom(...TYPES),
    key: fc.constantFrom(...KEYS),
    value,
    shape: fc.constantFrom(
      'usual',
      'usual',
      'usual',
      'usual',
      'usual',
      'usual',
      'usual',
      'space-closed',
      'swapped',
      'single',
      'spaced',
      'open',
      'nested',
      'no-value',
      'extra',
    ),
  })
  .map(({ type, key, value: v, shape }) => {
    const quoted = v.replace(/"/g, '&quot;');
    switch (shape) {
      case 'swapped':
        return `<${type} value="${quoted}" key="${key}"/>`;
      case 'single':
        return `<${type} key='${key}' value='${v.replace(/'/g, '&apos;')}'/>`;
      case 'space-closed':
        return `<${type} key="${key}" value="${quoted}" />`;
      case 'spaced':
        return `<${type}\tkey = "${key}" value="${quoted}" />`;
      case 'open':
        return `<${type} key="${key}" value="${quoted}"></${type}>`;
      case 'nested':
        return `<${type} key="${key}" value="${quoted}">\n<string key="concept:name" value="inner"/>\n</${type}>`;
      case 'no-value':
        return `<${type} key="${key}"/>`;
      case 'extra':
        return `<${type} key="${key}" value="${quoted}" x="1"/>`;
      default:
        return `<${type} key="${key}" value="${quoted}"/>`;
    }
  });

const attributes = fc.array(fc.tuple(gap, attribute), { maxLength: 6 }).map((a) => a.map(([g, x]) => g + x).join(''));

// An event: its activity and timestamp (each sometimes missing or in another shape) among others.
const event = fc
  .record({
    open: fc.oneof({ arbitrary: fc.constant('<event>'), weight: 20 }, fc.constantFrom('<event >', '<event/>')),
    body: fc.array(fc.tuple(gap, attribute), { maxLength: 4 }),
    activity: fc.option(fc.constantFrom(...ACTIVITIES), { freq: 12 }),
    timestamp: fc.option(fc.constantFrom(...TIMESTAMPS), { freq: 12 }),
    at: fc.tuple(fc.nat(), fc.nat()),
    g: gap,
  })
  .map(({ open, body, activity, timestamp, at, g }) => {
    if (open === '<event/>') return open;
    const parts = body.map(([ga, a]) => ga + a);
    if (activity !== null)
      parts.splice(at[0] % (parts.length + 1), 0, `\n\t\t\t<string key="concept:name" value="${activity}"/>`);
    if (timestamp !== null)
      parts.splice(at[1] % (parts.length + 1), 0, `\n\t\t\t<date key="time:timestamp" value="${timestamp}"/>`);
    return `${open}${parts.join('')}${g}</event>`;
  });

const trace = fc
  .record({
    open: fc.constantFrom('<trace>', '<trace>', '<trace>', '<trace >'),
    id: fc.constantFrom('case-1', 'case-2', 'case-3', 'a&amp;b', ''),
    head: attributes,
    events: fc.array(fc.tuple(gap, event), { minLength: 1, maxLength: 4 }),
    g: gap,
  })
  .map(
    ({ open, id, head, events, g }) =>
      `${open}\n<string key="concept:name" value="${id}"/>${head}${events.map(([eg, e]) => eg + e).join('')}${g}</trace>`,
  );

const log = fc
  .record({
    traces: fc.array(fc.tuple(gap, trace), { maxLength: 5 }),
    header: attributes,
    // Sometimes the file ends early (a truncated download).
    cut: fc.oneof({ arbitrary: fc.constant(undefined), weight: 7 }, { arbitrary: fc.nat(), weight: 1 }),
  })
  .map(({ traces, header, cut }) => {
    const doc = `<?xml version="1.0" encoding="UTF-8" ?>\n<log xes.version="1.0">${header}${traces.map(([g, t]) => g + t).join('')}\n</log>\n`;
    return Buffer.from(cut === undefined ? doc : doc.slice(0, cut % (doc.length + 1)));
  });

const options = fc.constantFrom(
  defineReadOptions(),
  defineReadOptions({ eventLog: { ownerKey: 'org:group', lifecycleKey: '' } }),
  defineReadOptions({ eventLog: { ownerKey: 'multi\nline', dueKey: 'deadline' } }),
);

// A small log with every shape above at least once, and the errors the reader reports.
const SMALL = Buffer.from(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- header -->
<log xes.version="1.0">
\t<string key="concept:name" value="log"/>
\t<trace>
\t\t<string key="concept:name" value="A1"/>
\t\t<int key="points" value="0"/>
\t\t<event>
\t\t\t<float key="amount" value="35.0"/>
\t\t\t<string key="org:resource" value="561"/>
\t\t\t<string key="dismissal" value="a long value that is well over thirty-two bytes"/>
\t\t\t<string key="concept:name" value="Create Fine"/>
\t\t\t<string key="lifecycle:transition" value="complete"/>
\t\t\t<date key="time:timestamp" value="2006-07-24T00:00:00+02:00"/>
\t\t</event>
\t\t<event>
\t\t\t<string key="concept:name" value="Send &amp; Fine"/>
\t\t\t<string value="x" key="note"/>
\t\t\t<date key="time:timestamp" value="2006-12-05T00:00:00+01:00"/>
\t\t</event>
\t</trace>
\t<trace>
\t\t<string key="concept:name" value="A2"/>
\t\t<event>
\t\t\t<string key="concept:name" value="Create Fine"/>
\t\t\t<date key="time:timestamp" value="2006-13-05T00:00:00+01:00"/>
\t\t</event>
\t</trace>
\t<trace>
\t\t<string key="concept:name" value="A3"/>
\t\t<event>
\t\t\t<string key="note" value="a < b"/>
\t\t</event>
\t</trace>
\t<trace>
\t\t<list key="history">
\t\t\t<string key="concept:name" value="ignored"/>
\t\t</list>
\t\t<string key="concept:name" value="A4"/>
\t\t<event>
\t\t\t<string key="concept:name" value="Pay"/>
\t\t\t<date key="time:timestamp" value="2007-01-05T10:00:00Z"/>
\t\t</event>
\t</trace>
</log>
`);

describe('the XES fast path', () => {
  it('recognises the usual elements and leaves every variant to the general path', () => {
    const keys = createKeyTable([
      { key: 'concept:name', mask: 1 },
      { key: 'time:timestamp', mask: 2 },
    ]);
    const el = createXesElement();
    const read = (text: string, readValues = false) => {
      const b = Buffer.from(`${text}\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t`);
      return readXesElement(b, 0, keys, readValues, DEFAULT_XML_LIMITS, el);
    };
    expect([read('<event>'), el.kind]).toEqual([7, OPEN_EVENT]);
    expect([read('</event>'), el.kind]).toEqual([8, CLOSE_EVENT]);
    expect([read('<trace>'), el.kind]).toEqual([7, OPEN_TRACE]);
    expect([read('</trace>'), el.kind]).toEqual([8, CLOSE_TRACE]);
    const tag = '<string key="concept:name" value="Create\nFine"/>';
    expect(read(tag)).toBe(tag.length);
    expect(el).toMatchObject({ kind: ATTRIBUTE, type: 'string', mask: 1, lines: 1, valueEntities: 0 });
    expect([el.keyStart, el.keyEnd, el.valueStart, el.valueEnd]).toEqual([13, 25, 34, 45]);
    expect(read('<int key="dismissal" value="a &amp; b"/>')).toBeGreaterThan(0);
    expect([el.type, el.mask, el.valueEntities]).toEqual(['int', 0, 0]); // not read: not looked at
    expect(read('<int key="dismissal" value="a &amp; b"/>', true)).toBeGreaterThan(0);
    expect(el.valueEntities).toBe(1);
    expect(read('<date key="time:timestamp" value="2012-10-09T14:50:17+00:00" />')).toBe(63);
    expect([el.type, el.mask]).toEqual(['date', 2]);
    expect(read(`<boolean key="x" value="${'y'.repeat(100)}\n"/>`)).toBeGreaterThan(0);
    expect([el.type, el.lines]).toEqual(['boolean', 1]);
    for (const variant of [
      '<event >',
      '<event/>',
      '<events>',
      '</event >',
      '<string value="A" key="concept:name"/>',
      "<string key='concept:name' value='A'/>",
      '<string key="concept:name" value="A"  />',
      '<string key="concept:name" value="A"\t/>',
      '<string  key="concept:name" value="A"/>',
      '<string key="concept:name" value="A">',
      '<string key="concept:name" value="A" x="1"/>',
      '<string key="concept&#58;name" value="A"/>',
      '<string key="x" value="a < b"/>',
      `<string key="x" value="${'a'.repeat(40)} < b"/>`,
      '<list key="x" value="A"/>',
      '<strings key="x" value="A"/>',
      '<!-- <event> -->',
    ])
      expect(read(variant), variant).toBe(-1);
    // Cut off by the end of the buffer.
    const cut = Buffer.from('\t\t\t<string key="concept:name" value="Create Fine"/>');
    for (let end = 3; end < cut.length; end++)
      expect(readXesElement(cut.subarray(0, end), 3, keys, false, DEFAULT_XML_LIMITS, el)).toBe(-1);
    expect(readXesElement(cut, 3, keys, false, DEFAULT_XML_LIMITS, el)).toBe(cut.length);
    // Within the last bytes of a buffer nothing is recognised (no read past its end).
    expect(readXesElement(Buffer.from('<event>'), 0, keys, false, DEFAULT_XML_LIMITS, el)).toBe(-1);
  });

  it('tells a wanted key from one that differs in any byte, whatever its length', () => {
    // Wanted keys are compared four bytes at a time, then byte by byte: every length, every byte.
    const wanted = Array.from({ length: 11 }, (_, n) => 'kabcdefghij'.slice(0, n + 1));
    const keys = createKeyTable(wanted.map((key, i) => ({ key, mask: 1 << i })));
    const el = createXesElement();
    const maskOf = (key: string) => {
      const b = Buffer.from(`<string key="${key}" value="v"/>\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t`);
      const end = readXesElement(b, 0, keys, false, DEFAULT_XML_LIMITS, el);
      expect(end).toBe(b.indexOf('/>') + 2);
      return el.mask;
    };
    for (const [i, key] of wanted.entries()) {
      expect(maskOf(key), key).toBe(1 << i);
      for (let at = 1; at < key.length; at++) {
        const other = `${key.slice(0, at)}X${key.slice(at + 1)}`;
        expect(maskOf(other), other).toBe(0);
      }
      expect(maskOf(`${key}X`)).toBe(0);
    }
  });

  it('keeps the limits: a value or tag over them goes the general way', () => {
    const keys = createKeyTable([]);
    const el = createXesElement();
    const b = Buffer.from(`<string key="k" value="${'v'.repeat(50)}"/>\n\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t`);
    expect(readXesElement(b, 0, keys, false, { maxValueBytes: 50, maxTagBytes: 1000 }, el)).toBeGreaterThan(0);
    expect(readXesElement(b, 0, keys, false, { maxValueBytes: 49, maxTagBytes: 1000 }, el)).toBe(-1);
    expect(readXesElement(b, 0, keys, true, { maxValueBytes: 49, maxTagBytes: 1000 }, el)).toBe(-1);
    expect(readXesElement(b, 0, keys, false, { maxValueBytes: 50, maxTagBytes: 70 }, el)).toBe(-1);
  });

  it('reads the small log the same way with the fast path as without, cut into two chunks at every offset', async () => {
    const plain = defineReadOptions();
    const whole = await items(SMALL, [], false, plain);
    // What the log holds: two cases, and the skips of a bad timestamp and of a '<' in a value.
    expect(whole.filter((i) => i.type === 'case').map((i) => i.type === 'case' && i.record.id)).toEqual(['A1', 'A4']);
    expect(whole.filter((i) => i.type === 'skip').map((i) => i.type === 'skip' && i.skipped.location.line)).toEqual([
      26, 32,
    ]);
    const stats = { fastElements: 0 };
    const fast: ReadItem[] = [];
    for await (const batch of readXesChunks('gen.xes', plain, chunksOf(SMALL, []), { stats }))
      for (const item of batch) if (item.type !== 'progress') fast.push(item);
    expect(fast).toEqual(whole);
    // The fast path read every element but the header's, the swapped one, the one with '<', the
    // list, and what the general path reads after the trace it skipped (up to the next <trace).
    expect(stats.fastElements).toBe(32);
    for (let at = 1; at < SMALL.length; at++)
      expect(await items(SMALL, [at], true, plain), `cut at ${at}`).toEqual(whole);
    // and one byte at a time
    const bytes = Array.from({ length: SMALL.length }, (_, i) => i);
    expect(await items(SMALL, bytes, true, plain)).toEqual(whole);
  });

  it('gives the same items as the general tokenizer on generated XES, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(log, fc.array(fc.nat({ max: 4000 }), { maxLength: 8 }), options, async (doc, cuts, o) => {
        const expected = await items(doc, [], false, o);
        expect(await items(doc, [], true, o)).toEqual(expected);
        expect(await items(doc, cuts, true, o)).toEqual(expected);
        // The general tokenizer alone, cut: a tag cut off between chunks is read across the cut.
        expect(await items(doc, cuts, false, o)).toEqual(expected);
      }),
      { numRuns: 400, seed: 1117, interruptAfterTimeLimit: 30_000 },
    );
  });
});
