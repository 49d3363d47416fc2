import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_ISSUES } from '../../test/appcelerator-cases.ts';
import { featurize, type FeatureSpec, type RoutingInput, type SparseVector } from './features.ts';
import { fnvAdd, fnvFinish, fnvStart } from './hash.ts';
import { tokenize } from './tokenize.ts';

/**
 * The featurizer as it was written first, with a Map per block and a Map for the sums: the
 * typed-array tables that replaced them (for speed) must give the same vector, bit for bit.
 */
function referenceFeaturize(input: RoutingInput, spec: FeatureSpec): SparseVector {
  const blocks = ['title', 'body', 'bigram', 'char', 'field'].map(() => new Map<number, number>());
  const [title, body, bigram, char, field] = blocks as [Map<number, number>, ...Map<number, number>[]];
  const count = (block: Map<number, number>, h: number) => block.set(h, (block.get(h) ?? 0) + 1);
  const titleTokens = tokenize(input.title);
  const bodyTokens = tokenize(input.body.slice(0, spec.maxBodyChars));
  const start = (initial: string) => fnvAdd(fnvStart(spec.seed), `${initial}|`);
  for (const t of titleTokens) count(title, fnvFinish(fnvAdd(start('t'), t)));
  for (const t of bodyTokens) count(body!, fnvFinish(fnvAdd(start('b'), t)));
  for (const tokens of [titleTokens, bodyTokens]) {
    for (let i = 1; i < tokens.length; i++) {
      count(bigram!, fnvFinish(fnvAdd(fnvAdd(fnvAdd(start('b'), tokens[i - 1]!), ' '), tokens[i]!)));
    }
  }
  for (const t of titleTokens) {
    if (t.startsWith('#') || t.includes(':')) continue;
    const w = `<${t}>`;
    for (let n = spec.charMin; n <= spec.charMax; n++) {
      for (let i = 0; i + n <= w.length; i++) count(char!, fnvFinish(fnvAdd(start('c'), w, i, i + n)));
    }
  }
  for (const f of spec.fields) {
    const value = input.fields[f];
    const values = value === undefined ? [] : typeof value === 'string' ? (value === '' ? [] : [value]) : value;
    for (const v of values) count(field!, fnvFinish(fnvAdd(start('f'), `${f}=${v.toLowerCase()}`)));
  }
  const mask = (1 << spec.bits) - 1;
  const acc = new Map<number, number>();
  let used = 0;
  for (const block of blocks) {
    if (block.size === 0) continue;
    used++;
    let norm = 0;
    for (const n of block.values()) norm += (1 + Math.log(n)) ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (const [h, n] of block) {
      const sign = spec.signed && h & 0x80000000 ? -1 : 1;
      acc.set(h & mask, (acc.get(h & mask) ?? 0) + sign * (1 + Math.log(n)) * scale);
    }
  }
  const whole = used === 0 ? 1 : 1 / Math.sqrt(used);
  return {
    indices: Int32Array.from(acc.keys()),
    values: Float32Array.from(acc.values(), (v) => v * whole),
  };
}

const spec: FeatureSpec = {
  bits: 16,
  charMin: 3,
  charMax: 5,
  maxBodyChars: 2000,
  fields: ['project', 'reporter', 'labels'],
  seed: 1,
  signed: true,
};

const fromIssue = (raw: (typeof RAW_ISSUES)[number]): RoutingInput => ({
  id: raw.key,
  title: raw.fields.summary,
  body: raw.fields.description ?? '',
  fields: { project: raw.key.split('-')[0], reporter: raw.fields.reporter?.name, labels: raw.fields.labels },
});

describe('featurize', () => {
  it('gives the reference vector on real Appcelerator issues, signed and unsigned, at 2^8 and 2^16 rows', () => {
    expect(RAW_ISSUES.length).toBeGreaterThan(0);
    for (const raw of RAW_ISSUES) {
      for (const s of [spec, { ...spec, signed: false }, { ...spec, bits: 8, charMax: 3 }]) {
        const got = featurize(fromIssue(raw), s);
        expect(got.indices.length).toBeGreaterThan(10);
        expect(got).toEqual(referenceFeaturize(fromIssue(raw), s));
      }
    }
  });

  it('gives the reference vector on a text of thousands of terms (the tables grow) and on an empty one', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i.toString(36)}`).join(' ');
    const long: RoutingInput = { id: 'L-1', title: words.slice(0, 4000), body: words, fields: {} };
    const wide = { ...spec, maxBodyChars: 40_000 };
    const got = featurize(long, wide);
    expect(got.indices.length).toBeGreaterThan(5000);
    expect(got).toEqual(referenceFeaturize(long, wide));
    const empty: RoutingInput = { id: 'E-1', title: '', body: '', fields: {} };
    expect(featurize(empty, spec)).toEqual({ indices: new Int32Array(0), values: new Float32Array(0) });
    // The scratch tables are reused: a short input after a long one carries nothing over.
    const short: RoutingInput = { id: 'S-1', title: 'gradle fails', body: '', fields: { project: 'TIMOB' } };
    expect(featurize(short, spec)).toEqual(referenceFeaturize(short, spec));
  });

  it('gives the reference vector on arbitrary text and fields (property, bounded)', () => {
    const text = fc.string({ unit: fc.constantFrom(...'ab.C_d1 2:#x/é'.split('')), maxLength: 120 });
    fc.assert(
      fc.property(text, text, fc.array(fc.constantFrom('', 'x', 'Y z'), { maxLength: 3 }), (title, body, labels) => {
        const input: RoutingInput = { id: 'P-1', title, body, fields: { project: 'P', labels } };
        expect(featurize(input, spec)).toEqual(referenceFeaturize(input, spec));
      }),
      { numRuns: 300 },
    );
  });
});
