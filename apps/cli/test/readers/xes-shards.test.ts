import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ByteChunk } from '../../src/readers/open-text.ts';
import { rootElementName, xesShardBytes, type XesShardScan } from '../../src/readers/xes-shards.ts';

const HEADER = '<?xml version="1.0"?>\n<!-- a <log> in a comment -->\n<log xes.version="1.0">\n\t<traces-note/>\n';
const trace = (i: number) =>
  `\t<trace>\n\t\t<string key="concept:name" value="${'x'.repeat(i % 13)}${i}"/>\n\t</trace>\n`;

async function* chunksOf(text: Buffer, sizes: number[]): AsyncGenerator<ByteChunk> {
  let at = 0;
  for (let k = 0; at < text.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield { bytes: text.subarray(at, at + n), bytesRead: at + n };
    at += n;
  }
}

async function shardText(whole: Buffer, sizes: number[], from: number, to: number | undefined) {
  const scan: XesShardScan = { headerLines: 0, started: false };
  const parts: Buffer[] = [];
  for await (const c of xesShardBytes(chunksOf(whole, sizes), { from, to }, scan)) parts.push(c.bytes);
  return { text: Buffer.concat(parts).toString('utf8'), scan };
}

describe('xesShardBytes', () => {
  it('cuts a log into shards that meet at trace starts and add up to the whole, whatever the chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 3 }),
        async (n, sizes, targets) => {
          const body = Array.from({ length: n }, (_, i) => trace(i)).join('');
          const whole = Buffer.from(`${HEADER}${body}</log>\n`);
          const cuts = [...new Set(targets)].sort((a, b) => a - b).filter((t) => t > 0);
          const ranges = [0, ...cuts].map((from, k) => ({ from, to: cuts[k] }));
          let joined = '';
          for (const [k, r] of ranges.entries()) {
            const { text, scan } = await shardText(whole, sizes, r.from, r.to);
            let rest = text;
            if (k > 0 && scan.started) {
              // The header is everything before the first `<trace` (its indent too).
              const header = n === 0 ? HEADER : `${HEADER}\t`;
              expect(rest.startsWith(header)).toBe(true);
              expect(scan.headerLines).toBe(4);
              rest = rest.slice(header.length);
              // Every later shard starts at a trace (or is empty: two targets before the same trace).
              if (rest !== '</log>\n') expect(rest.startsWith('<trace>')).toBe(true);
            }
            if (k > 0 && !scan.started) expect(text).toBe('');
            if (r.to !== undefined && rest.endsWith('</log>\n') && k < ranges.length - 1) {
              const next = await shardText(whole, sizes, r.to, undefined);
              if (next.scan.started) rest = rest.slice(0, -'</log>\n'.length);
            }
            joined += rest;
          }
          expect(joined).toBe(whole.toString('utf8'));
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 20_000 },
    );
  });

  it('finds the root element after the declaration and comments', () => {
    expect(rootElementName(Buffer.from(HEADER))).toBe('log');
    expect(rootElementName(Buffer.from('<!DOCTYPE x>\n<xes:log>'))).toBe('xes:log');
    expect(rootElementName(Buffer.from('no markup'))).toBeUndefined();
  });
});
