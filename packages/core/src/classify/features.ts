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
// Terms are counted block by block, in this order, keyed by the term's hash (`<block initial>|<term>`).
const BLOCKS = ['title', 'body', 'bigram', 'char', 'field'] as const;

/**
 * Open-addressing tables on typed arrays, reused by every call (featurize runs to completion, so one
 * set serves all): a Map per block and a Map for the sum cost about half of the featurizer's time and
 * most of its garbage. `terms` counts (block, hash) pairs and remembers their first-seen order;
 * `sums` adds values per hashed index.
 */
class Scratch {
  capacity = 0;
  // terms: slot → hash, block (-1 empty), count; order: slots in first-seen order.
  termHash = new Int32Array(0);
  termBlock = new Int8Array(0);
  termCount = new Int32Array(0);
  order = new Int32Array(0);
  size = 0;
  // sums: slot → hashed index (-1 empty), sum; sumOrder: slots in first-added order.
  sumIndex = new Int32Array(0);
  sumValue = new Float64Array(0);
  sumOrder = new Int32Array(0);
  sumSize = 0;

  reset(): void {
    for (let i = 0; i < this.size; i++) this.termBlock[this.order[i]!] = -1;
    for (let i = 0; i < this.sumSize; i++) this.sumIndex[this.sumOrder[i]!] = -1;
    this.size = 0;
    this.sumSize = 0;
    if (this.capacity === 0) this.grow(1024);
  }

  /** Doubles (or sets) the capacity; kept at least twice the terms held, so probes stay short. */
  private grow(capacity: number): void {
    const old = { hash: this.termHash, block: this.termBlock, count: this.termCount, order: this.order };
    const held = this.size;
    this.capacity = capacity;
    this.termHash = new Int32Array(capacity);
    this.termBlock = new Int8Array(capacity).fill(-1);
    this.termCount = new Int32Array(capacity);
    this.order = new Int32Array(capacity);
    this.sumIndex = new Int32Array(capacity).fill(-1);
    this.sumValue = new Float64Array(capacity);
    this.sumOrder = new Int32Array(capacity);
    this.size = 0;
    for (let i = 0; i < held; i++) {
      const from = old.order[i]!;
      const slot = this.slotOf(old.hash[from]!, old.block[from]!);
      this.termHash[slot] = old.hash[from]!;
      this.termBlock[slot] = old.block[from]!;
      this.termCount[slot] = old.count[from]!;
      this.order[this.size++] = slot;
    }
  }

  private slotOf(h: number, block: number): number {
    const mask = this.capacity - 1;
    let slot = (Math.imul(h ^ block, 0x9e3779b1) >>> 0) & mask;
    while (this.termBlock[slot]! !== -1 && (this.termHash[slot]! !== h || this.termBlock[slot]! !== block))
      slot = (slot + 1) & mask;
    return slot;
  }

  count(block: number, hash: number): void {
    const h = hash | 0;
    const slot = this.slotOf(h, block);
    if (this.termBlock[slot]! !== -1) {
      this.termCount[slot] = this.termCount[slot]! + 1;
      return;
    }
    this.termHash[slot] = h;
    this.termBlock[slot] = block;
    this.termCount[slot] = 1;
    this.order[this.size++] = slot;
    if (this.size * 2 > this.capacity) this.grow(this.capacity * 2);
  }

  add(index: number, value: number): void {
    const mask = this.capacity - 1;
    let slot = (Math.imul(index, 0x9e3779b1) >>> 0) & mask;
    while (this.sumIndex[slot]! !== -1 && this.sumIndex[slot]! !== index) slot = (slot + 1) & mask;
    if (this.sumIndex[slot]! === -1) {
      this.sumIndex[slot] = index;
      this.sumValue[slot] = 0;
      this.sumOrder[this.sumSize++] = slot;
    }
    this.sumValue[slot] = this.sumValue[slot]! + value;
  }
}

const scratch = new Scratch();
const [TITLE, BODY, BIGRAM, CHAR, FIELD] = BLOCKS.map((_, i) => i) as [number, number, number, number, number];

function fieldValues(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? (value === '' ? [] : [value]) : value;
}

/**
 * Text features only: title/body words, bigrams over both, char n-grams of the title's words. Terms
 * are hashed from slices and pairs directly (no substring or concatenation), which is most of the
 * featurizer's speed; the hashes equal hashString(`${block initial}|${term}`).
 */
function textBlocks(input: RoutingInput, spec: FeatureSpec, terms: Scratch): void {
  const titleTokens = tokenize(input.title);
  const bodyTokens = tokenize(input.body.slice(0, spec.maxBodyChars));
  const start = (initial: string) => fnvAdd(fnvStart(spec.seed), `${initial}|`);
  const t0 = start('t');
  const b0 = start('b');
  // 'bigram' shares body's initial: a bigram holds a space, so it never equals a body word.
  const g0 = b0;
  const c0 = start('c');
  for (const t of titleTokens) terms.count(TITLE, fnvFinish(fnvAdd(t0, t)));
  for (const t of bodyTokens) terms.count(BODY, fnvFinish(fnvAdd(b0, t)));
  for (const tokens of [titleTokens, bodyTokens]) {
    for (let i = 1; i < tokens.length; i++) {
      terms.count(BIGRAM, fnvFinish(fnvAdd(fnvAdd(fnvAdd(g0, tokens[i - 1]!), ' '), tokens[i]!)));
    }
  }
  for (const t of titleTokens) {
    if (t.startsWith('#') || t.includes(':')) continue;
    const w = `<${t}>`;
    for (let n = spec.charMin; n <= spec.charMax; n++) {
      for (let i = 0; i + n <= w.length; i++) terms.count(CHAR, fnvFinish(fnvAdd(c0, w, i, i + n)));
    }
  }
}

/** True when the input has nothing to learn from: no title, no body, no field feature. */
export function isEmptyInput(input: RoutingInput, spec: Pick<FeatureSpec, 'fields'>): boolean {
  if (input.title.trim() !== '' || input.body.trim() !== '') return false;
  return spec.fields.every((f) => fieldValues(input.fields[f]).length === 0);
}

/**
 * Hashes an input into a sparse, L2-normalised vector (each block normalised, then the whole).
 * Each term counts 1 + ln(count); indices appear in the order their first term was met.
 */
export function featurize(input: RoutingInput, spec: FeatureSpec): SparseVector {
  const terms = scratch;
  terms.reset();
  textBlocks(input, spec, terms);
  const f0 = fnvAdd(fnvStart(spec.seed), 'f|');
  for (const field of spec.fields) {
    for (const v of fieldValues(input.fields[field]))
      terms.count(FIELD, fnvFinish(fnvAdd(f0, `${field}=${v.toLowerCase()}`)));
  }
  const mask = (1 << spec.bits) - 1;
  let used = 0;
  // Terms were counted block after block, so each block is one run of `order`.
  for (let from = 0; from < terms.size;) {
    const block = terms.termBlock[terms.order[from]!]!;
    let to = from;
    let norm = 0;
    while (to < terms.size && terms.termBlock[terms.order[to]!]! === block) {
      norm += (1 + Math.log(terms.termCount[terms.order[to]!]!)) ** 2;
      to++;
    }
    used++;
    const scale = 1 / Math.sqrt(norm);
    for (let i = from; i < to; i++) {
      const slot = terms.order[i]!;
      const h = terms.termHash[slot]!;
      // The sign bit halves the bias that collisions add (Weinberger et al.'s signed hashing).
      const sign = spec.signed && h < 0 ? -1 : 1;
      terms.add(h & mask, sign * (1 + Math.log(terms.termCount[slot]!)) * scale);
    }
    from = to;
  }
  const indices = new Int32Array(terms.sumSize);
  const values = new Float32Array(terms.sumSize);
  const whole = used === 0 ? 1 : 1 / Math.sqrt(used);
  for (let i = 0; i < terms.sumSize; i++) {
    const slot = terms.sumOrder[i]!;
    indices[i] = terms.sumIndex[slot]!;
    values[i] = terms.sumValue[slot]! * whole;
  }
  return { indices, values };
}
