import * as z from 'zod';
import { fnvAdd, fnvFinish, fnvStart } from './hash.ts';
import { PREFIXES, scanTokens, TEXT, Tokens, WORD, HOST } from './tokenize.ts';

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

const titleTokens = new Tokens();
const bodyTokens = new Tokens();
// Per title token, the hash state after `b|` and its characters (where its bigram starts); per body
// token, the hash of its bigram with the token before.
let titleStates = new Int32Array(256);
let bodyStates = new Int32Array(256);
// A title word with its boundary marks, `<word>`, lower-cased: its char n-grams are hashed from here.
let marked = new Uint16Array(64);

/** Hash state `h` fed with token `i`'s characters (its kind's prefix, then its span, lower-cased where it is). */
function feedToken(h: number, tokens: Tokens, i: number): number {
  const kind = tokens.kind[i]!;
  if (kind === TEXT) return fnvAdd(h, tokens.texts[tokens.start[i]!]!);
  if (kind !== WORD) h = fnvAdd(h, PREFIXES[kind]!);
  const text = tokens.text;
  const end = tokens.end[i]!;
  if (kind === WORD || kind === HOST) {
    for (let j = tokens.start[i]!; j < end; j++) {
      let c = text.charCodeAt(j);
      if (c >= 65 && c <= 90) c |= 32;
      h ^= c;
      h = Math.imul(h, 0x01000193);
    }
  } else {
    for (let j = tokens.start[i]!; j < end; j++) {
      h ^= text.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
    }
  }
  return h;
}

// feedTwo's results: the two states it fed.
let fedA = 0;
let fedB = 0;

/** `feedToken` of token `i` into two states at once (`fedA`, `fedB`): one pass over its characters. */
function feedTwo(a: number, b: number, tokens: Tokens, i: number): void {
  const kind = tokens.kind[i]!;
  if (kind === TEXT) {
    fedA = fnvAdd(a, tokens.texts[tokens.start[i]!]!);
    fedB = fnvAdd(b, tokens.texts[tokens.start[i]!]!);
    return;
  }
  if (kind !== WORD) {
    a = fnvAdd(a, PREFIXES[kind]!);
    b = fnvAdd(b, PREFIXES[kind]!);
  }
  const text = tokens.text;
  const end = tokens.end[i]!;
  const fold = kind === WORD || kind === HOST ? 32 : 0;
  for (let j = tokens.start[i]!; j < end; j++) {
    let c = text.charCodeAt(j);
    if (c >= 65 && c <= 90) c |= fold;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  fedA = a;
  fedB = b;
}

/** Bigrams of consecutive tokens: `b|` + the first + ' ' + the second, from the first's state. */
function countBigrams(terms: Scratch, tokens: Tokens, states: Int32Array): void {
  for (let i = 1; i < tokens.count; i++) {
    terms.count(BIGRAM, fnvFinish(feedToken(Math.imul(states[i - 1]! ^ 32, 0x01000193), tokens, i)));
  }
}

/**
 * Text features only: title/body words, bigrams over both, char n-grams of the title's words. Tokens
 * are spans of the text (`scanTokens`) and terms are hashed from their characters directly (no token,
 * substring or concatenation is built); the hashes equal hashString(`${block initial}|${term}`) of the
 * strings `tokenize` gives.
 */
function textBlocks(input: RoutingInput, spec: FeatureSpec, terms: Scratch): void {
  const title = scanTokens(input.title, titleTokens);
  const body = scanTokens(
    input.body.length > spec.maxBodyChars ? input.body.slice(0, spec.maxBodyChars) : input.body,
    bodyTokens,
  );
  if (titleStates.length < title.count) titleStates = new Int32Array(title.count * 2);
  if (bodyStates.length < body.count) bodyStates = new Int32Array(body.count * 2);
  const start = (initial: string) => fnvAdd(fnvStart(spec.seed), `${initial}|`);
  const t0 = start('t');
  const b0 = start('b');
  const c0 = start('c');
  for (let i = 0; i < title.count; i++) {
    terms.count(TITLE, fnvFinish(feedToken(t0, title, i)));
    // 'bigram' shares body's initial: a bigram holds a space, so it never equals a body word.
    titleStates[i] = feedToken(b0, title, i);
  }
  // A body token's term and its bigram with the token before, in one pass over its characters; the
  // bigrams are counted after the title's (`bodyStates` holds their hashes).
  let before = b0;
  for (let i = 0; i < body.count; i++) {
    feedTwo(b0, Math.imul(before ^ 32, 0x01000193), body, i);
    before = fedA;
    bodyStates[i] = fnvFinish(fedB);
    terms.count(BODY, fnvFinish(fedA));
  }
  countBigrams(terms, title, titleStates);
  for (let i = 1; i < body.count; i++) terms.count(BIGRAM, bodyStates[i]!);
  // Char n-grams of the title's words (not of markers, versions or hosts: those start with '#' or hold ':').
  const text = title.text;
  for (let i = 0; i < title.count; i++) {
    if (title.kind[i] !== WORD) continue;
    const from = title.start[i]!;
    const length = title.end[i]! - from + 2;
    if (marked.length < length) marked = new Uint16Array(length * 2);
    marked[0] = 60; // '<'
    for (let j = 1; j < length - 1; j++) {
      const c = text.charCodeAt(from + j - 1);
      marked[j] = c >= 65 && c <= 90 ? c | 32 : c;
    }
    marked[length - 1] = 62; // '>'
    for (let n = spec.charMin; n <= spec.charMax; n++) {
      for (let j = 0; j + n <= length; j++) {
        let h = c0;
        for (let m = j; m < j + n; m++) {
          h ^= marked[m]!;
          h = Math.imul(h, 0x01000193);
        }
        terms.count(CHAR, fnvFinish(h));
      }
    }
  }
}

// 1 + ln(count) of the counts most terms have, computed once (the same values Math.log gives each time).
const TERM_WEIGHTS = Float64Array.from({ length: 64 }, (_, n) => 1 + Math.log(n));
const termWeight = (count: number) => (count < 64 ? TERM_WEIGHTS[count]! : 1 + Math.log(count));

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
  const whole = accumulate(input, spec);
  const terms = scratch;
  const indices = new Int32Array(terms.sumSize);
  const values = new Float32Array(terms.sumSize);
  for (let i = 0; i < terms.sumSize; i++) {
    const slot = terms.sumOrder[i]!;
    indices[i] = terms.sumIndex[slot]!;
    values[i] = terms.sumValue[slot]! * whole;
  }
  return { indices, values };
}

/** A vector in arrays that are reused: its first `length` entries. */
export interface SharedVector {
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

const shared: SharedVector = { indices: new Int32Array(1024), values: new Float32Array(1024), length: 0 };

/**
 * `featurize` into arrays reused from call to call (valid until the next call), for one prediction at
 * a time: two fresh typed arrays per prediction cost their allocation and their collection.
 */
export function featurizeShared(input: RoutingInput, spec: FeatureSpec): SharedVector {
  const whole = accumulate(input, spec);
  const terms = scratch;
  if (shared.indices.length < terms.sumSize) {
    shared.indices = new Int32Array(terms.sumSize * 2);
    shared.values = new Float32Array(terms.sumSize * 2);
  }
  const { indices, values } = shared;
  for (let i = 0; i < terms.sumSize; i++) {
    const slot = terms.sumOrder[i]!;
    indices[i] = terms.sumIndex[slot]!;
    values[i] = terms.sumValue[slot]! * whole;
  }
  shared.length = terms.sumSize;
  return shared;
}

/** The hash state `h` fed with `text` lower-cased (ASCII folded in place; other text through toLowerCase). */
function feedLowerCase(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 128) return fnvAdd(h, text.toLowerCase());
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 32;
    h ^= c;
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

/**
 * Counts the input's terms and sums their weights per hashed index into `scratch`; returns the
 * factor every sum takes (1 / √blocks).
 */
function accumulate(input: RoutingInput, spec: FeatureSpec): number {
  const terms = scratch;
  terms.reset();
  textBlocks(input, spec, terms);
  const f0 = fnvAdd(fnvStart(spec.seed), 'f|');
  for (const field of spec.fields) {
    // `f|${field}=${value lower-cased}`, fed piece by piece.
    const named = Math.imul(fnvAdd(f0, field) ^ 61, 0x01000193);
    for (const v of fieldValues(input.fields[field])) terms.count(FIELD, fnvFinish(feedLowerCase(named, v)));
  }
  const mask = (1 << spec.bits) - 1;
  let used = 0;
  // Terms were counted block after block, so each block is one run of `order`.
  for (let from = 0; from < terms.size;) {
    const block = terms.termBlock[terms.order[from]!]!;
    let to = from;
    let norm = 0;
    while (to < terms.size && terms.termBlock[terms.order[to]!]! === block) {
      norm += termWeight(terms.termCount[terms.order[to]!]!) ** 2;
      to++;
    }
    used++;
    const scale = 1 / Math.sqrt(norm);
    for (let i = from; i < to; i++) {
      const slot = terms.order[i]!;
      const h = terms.termHash[slot]!;
      // The sign bit halves the bias that collisions add (Weinberger et al.'s signed hashing).
      const sign = spec.signed && h < 0 ? -1 : 1;
      terms.add(h & mask, sign * termWeight(terms.termCount[slot]!) * scale);
    }
    from = to;
  }
  return used === 0 ? 1 : 1 / Math.sqrt(used);
}
