import * as z from 'zod';
import { fnvAdd, fnvFinish, fnvStart } from './hash.ts';
import { tokenize } from './tokenize.ts';

/**
 * What the router sees of an issue at creation: its text and the categorical fields known then
 * (project, reporter, labels, issue type ...). `fields` may hold more (the labels to learn, such as
 * assignee or resolution); a target's `featureFields` decides which of them become features.
 */
export interface RoutingInput {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  /** Epoch ms of creation: orders the time split. */
  readonly createdAt?: number;
  readonly fields: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** How text and fields become a hashed sparse vector. Stored in the model file. */
export const FeatureSpecSchema = z.object({
  /** log2 of the hashing dimension. */
  bits: z.number().int().min(8).max(24),
  /** Character n-gram lengths taken inside the title's words (with word-boundary marks). */
  charMin: z.number().int().min(1).max(8),
  charMax: z.number().int().min(1).max(8),
  /** Only the start of long descriptions counts: stack traces and logs later add noise, not signal. */
  maxBodyChars: z.number().int().positive(),
  /** Categorical fields that become `field=value` features. */
  fields: z.array(z.string()),
  seed: z.number().int(),
  /** Signed hashing (linear models); naive Bayes needs non-negative counts, so it turns this off. */
  signed: z.boolean(),
});
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;

/** A sparse vector: parallel arrays of hashed indices and values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

// Blocks are normalised separately so that many char n-grams cannot drown the few field features.
const BLOCKS = ['title', 'body', 'bigram', 'char', 'field'] as const;
type Block = (typeof BLOCKS)[number];
/** Term counts of one block, keyed by the term's hash (`<block initial>|<term>`), not by the string. */
type Counts = Map<number, number>;

function count(block: Counts, h: number): void {
  block.set(h, (block.get(h) ?? 0) + 1);
}

function fieldValues(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? (value === '' ? [] : [value]) : value;
}

/**
 * Text features only: title/body words, bigrams over both, char n-grams of the title's words. Terms
 * are hashed from slices and pairs directly (no substring or concatenation), which is most of the
 * featurizer's speed; the hashes equal hashString(`${block initial}|${term}`).
 */
function textBlocks(input: RoutingInput, spec: FeatureSpec, blocks: Record<Block, Counts>): void {
  const titleTokens = tokenize(input.title);
  const bodyTokens = tokenize(input.body.slice(0, spec.maxBodyChars));
  const start = (initial: string) => fnvAdd(fnvStart(spec.seed), `${initial}|`);
  const t0 = start('t');
  const b0 = start('b');
  // 'bigram' shares body's initial: a bigram holds a space, so it never equals a body word.
  const g0 = b0;
  const c0 = start('c');
  for (const t of titleTokens) count(blocks.title, fnvFinish(fnvAdd(t0, t)));
  for (const t of bodyTokens) count(blocks.body, fnvFinish(fnvAdd(b0, t)));
  for (const tokens of [titleTokens, bodyTokens]) {
    for (let i = 1; i < tokens.length; i++) {
      count(blocks.bigram, fnvFinish(fnvAdd(fnvAdd(fnvAdd(g0, tokens[i - 1]!), ' '), tokens[i]!)));
    }
  }
  for (const t of titleTokens) {
    if (t.startsWith('#') || t.includes(':')) continue;
    const w = `<${t}>`;
    for (let n = spec.charMin; n <= spec.charMax; n++) {
      for (let i = 0; i + n <= w.length; i++) count(blocks.char, fnvFinish(fnvAdd(c0, w, i, i + n)));
    }
  }
}

/** True when the input has nothing to learn from: no title, no body, no field feature. */
export function isEmptyInput(input: RoutingInput, spec: Pick<FeatureSpec, 'fields'>): boolean {
  if (input.title.trim() !== '' || input.body.trim() !== '') return false;
  return spec.fields.every((f) => fieldValues(input.fields[f]).length === 0);
}

/** Hashes an input into a sparse, L2-normalised vector (each block normalised, then the whole). */
export function featurize(input: RoutingInput, spec: FeatureSpec): SparseVector {
  const blocks = Object.fromEntries(BLOCKS.map((b) => [b, new Map<number, number>()])) as Record<Block, Counts>;
  textBlocks(input, spec, blocks);
  const f0 = fnvAdd(fnvStart(spec.seed), 'f|');
  for (const field of spec.fields) {
    for (const v of fieldValues(input.fields[field]))
      count(blocks.field, fnvFinish(fnvAdd(f0, `${field}=${v.toLowerCase()}`)));
  }
  const mask = (1 << spec.bits) - 1;
  const acc = new Map<number, number>();
  let used = 0;
  for (const name of BLOCKS) {
    const block = blocks[name];
    if (block.size === 0) continue;
    used++;
    let norm = 0;
    for (const n of block.values()) norm += (1 + Math.log(n)) ** 2;
    const scale = 1 / Math.sqrt(norm);
    for (const [h, n] of block) {
      // The sign bit halves the bias that collisions add (Weinberger et al.'s signed hashing).
      const sign = spec.signed && h & 0x80000000 ? -1 : 1;
      const index = h & mask;
      acc.set(index, (acc.get(index) ?? 0) + sign * (1 + Math.log(n)) * scale);
    }
  }
  const indices = new Int32Array(acc.size);
  const values = new Float32Array(acc.size);
  const whole = used === 0 ? 1 : 1 / Math.sqrt(used);
  let i = 0;
  for (const [index, value] of acc) {
    indices[i] = index;
    values[i] = value * whole;
    i++;
  }
  return { indices, values };
}
