import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/readers/intern.ts';
import {
  XmlSyntaxError,
  attributeIndex,
  attributeName,
  attributeValue,
  createXmlTokenizer,
  type XmlLimits,
} from '../../src/readers/xml-tokenizer.ts';

interface Token {
  readonly kind: 'open' | 'close' | 'oversized' | 'error';
  readonly name: string;
  readonly line: number;
  readonly attributes?: readonly (readonly [string, string, boolean])[];
}

/**
 * Every token of `doc` fed in the pieces `cuts` makes. Each attribute carries whether its name's
 * and raw value's hashes (computed by the tokenizer in its one pass) equal `hashBytes` of them.
 */
function tokens(doc: Buffer, cuts: readonly number[] = [], limits?: XmlLimits): Token[] {
  const out: Token[] = [];
  const tokenizer = createXmlTokenizer(
    {
      open(name, tag) {
        const attributes: [string, string, boolean][] = [];
        for (let i = 0; i < tag.count; i++) {
          const hashed =
            tag.nameHashes[i] === hashBytes(tag.buf, tag.nameStarts[i]!, tag.nameEnds[i]!) &&
            tag.valueHashes[i] === hashBytes(tag.buf, tag.valueStarts[i]!, tag.valueEnds[i]!);
          attributes.push([
            tag.buf.toString('utf8', tag.nameStarts[i], tag.nameEnds[i]),
            attributeValue(tag, i),
            hashed,
          ]);
        }
        out.push({ kind: 'open', name, line: tag.line, attributes });
      },
      close(name, line) {
        out.push({ kind: 'close', name, line });
      },
      oversized(attribute, element, line) {
        out.push({ kind: 'oversized', name: `${element}@${attribute}`, line });
      },
    },
    limits,
  );
  const points = [...new Set(cuts.map((c) => Math.min(c, doc.length)))].sort((a, b) => a - b);
  let from = 0;
  try {
    for (const at of [...points, doc.length]) {
      tokenizer.push(doc.subarray(from, at));
      from = at;
    }
    tokenizer.end();
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    out.push({ kind: 'error', name: error.message, line: error.line });
  }
  return out;
}

const word = fc.stringMatching(/^[a-z][a-z0-9:_-]{0,11}$/);
// Values with what the scanner must notice: line breaks, entities, the other quote, UTF-8.
const value = fc
  .array(fc.constantFrom('a', 'Z', '0', ' ', '\n', '&amp;', '&lt;', "'", 'é', '→', '2010-03-31T16:59:42+02:00'), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));
const element: fc.Memo<string> = fc.memo((n) =>
  fc
    .record({
      name: word,
      attributes: fc.uniqueArray(fc.tuple(word, value), { maxLength: 4, selector: ([k]) => k }),
      children: n > 1 ? fc.array(element(n - 1), { maxLength: 3 }) : fc.constant([]),
      space: fc.constantFrom(' ', '\n\t', '  '),
    })
    .map(({ name, attributes, children, space }) => {
      const attrs = attributes.map(([k, v]) => `${space}${k}="${v.replace(/"/g, '&quot;')}"`).join('');
      return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>\n${children.join('\n')}\n</${name}>`;
    }),
);

describe('createXmlTokenizer', () => {
  it('reports the same tokens, lines and hashes however the document is cut into chunks', () => {
    fc.assert(
      fc.property(element(3), fc.array(fc.nat(), { maxLength: 6 }), (root, cuts) => {
        const doc = Buffer.from(`<?xml version="1.0"?>\n<!-- a log -->\n${root}\n`);
        const whole = tokens(doc);
        expect(whole.some((t) => t.kind === 'error')).toBe(false);
        expect(whole.every((t) => t.attributes?.every(([, , hashed]) => hashed) ?? true)).toBe(true);
        expect(tokens(doc, cuts)).toEqual(whole);
      }),
      { numRuns: 200, seed: 17 },
    );
  });

  it('reads the same, cut anywhere, with values and tags past small limits', () => {
    // Values over 8 bytes are dropped, tags over 64 bytes fail: both met across chunk cuts.
    const limits = { maxValueBytes: 8, maxTagBytes: 64 };
    fc.assert(
      fc.property(element(3), fc.array(fc.nat(), { maxLength: 6 }), (root, cuts) => {
        const doc = Buffer.from(`<?xml version="1.0"?>\n<!-- a log -->\n${root}\n`);
        expect(tokens(doc, cuts, limits)).toEqual(tokens(doc, [], limits));
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  it('reads names, decoded values and the line each tag starts on', () => {
    const doc = Buffer.from('<log>\n  <event a="1&amp;2"\n    b=\'x\ny\'/>\n</log>\n');
    expect(tokens(doc)).toEqual([
      { kind: 'open', name: 'log', line: 1, attributes: [] },
      {
        kind: 'open',
        name: 'event',
        line: 2,
        attributes: [
          ['a', '1&2', true],
          ['b', 'x\ny', true],
        ],
      },
      { kind: 'close', name: 'event', line: 2 },
      { kind: 'close', name: 'log', line: 5 },
    ]);
  });

  it('finds attributes by name through their hashes', () => {
    const seen: number[] = [];
    const tokenizer = createXmlTokenizer({
      open(_name, tag) {
        seen.push(attributeIndex(tag, attributeName('value')), attributeIndex(tag, attributeName('key')));
        seen.push(attributeIndex(tag, attributeName('valuE')));
      },
      close() {},
      oversized() {},
    });
    tokenizer.push(Buffer.from('<string key="concept:name" value="Create Fine"/>'));
    expect(seen).toEqual([1, 0, -1]);
  });

  it("names the line of a '<' inside a value, found in the same pass as the value's end", () => {
    const doc = Buffer.from('<log>\n<a k="x\ny<z"/>\n</log>');
    expect(tokens(doc).at(-1)).toEqual({
      kind: 'error',
      name: "'<' inside the value of attribute 'k' of <a>",
      line: 3,
    });
    expect(tokens(doc, [9, 12])).toEqual(tokens(doc));
  });

  it('reports a mismatched close tag with the line its element opened on', () => {
    const doc = Buffer.from('<log>\n<trace>\n</event>\n</log>');
    expect(tokens(doc).at(-1)).toEqual({
      kind: 'error',
      name: 'expected </trace> (opened on line 2) but found </event>',
      line: 3,
    });
  });

  it('drops a value past the limit, reads it as empty, and reads on at the right line', () => {
    const limits = { maxValueBytes: 8, maxTagBytes: 1 << 20 };
    const doc = Buffer.from('<log>\n<a k="0123456789\nabc" j="ok"/>\n<b/>\n</log>');
    for (const cuts of [[], [8], [10, 20]])
      expect(tokens(doc, cuts, limits)).toEqual([
        { kind: 'open', name: 'log', line: 1, attributes: [] },
        { kind: 'oversized', name: 'a@k', line: 2 },
        {
          kind: 'open',
          name: 'a',
          line: 3,
          attributes: [
            ['k', '', true],
            ['j', 'ok', true],
          ],
        },
        { kind: 'close', name: 'a', line: 3 },
        { kind: 'open', name: 'b', line: 4, attributes: [] },
        { kind: 'close', name: 'b', line: 4 },
        { kind: 'close', name: 'log', line: 5 },
      ]);
  });
});
