import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RAW_ISSUES } from '../../test/appcelerator-cases.ts';
import { featurize, featurizeShared, type FeatureSpec, type RoutingInput } from './features.ts';
import { referenceFeaturize } from '../../test/router-reference.ts';

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

  it('hashes field values lower-cased, ASCII or not, as the reference does', () => {
    const input: RoutingInput = {
      id: 'F-1',
      title: 'Crash',
      body: '',
      fields: { project: 'TIMOB', reporter: 'İlker ÖZTÜRK', labels: ['Ünïcode', 'MiXeD', 'ǅ'] },
    };
    expect(featurize(input, spec)).toEqual(referenceFeaturize(input, spec));
  });

  it('featurizeShared gives featurize’s vector in reused arrays', () => {
    for (const raw of RAW_ISSUES.slice(0, 20)) {
      const want = featurize(fromIssue(raw), spec);
      const got = featurizeShared(fromIssue(raw), spec);
      expect(got.indices.subarray(0, got.length)).toEqual(want.indices);
      expect(got.values.subarray(0, got.length)).toEqual(want.values);
    }
  });
});
