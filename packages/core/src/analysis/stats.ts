/**
 * Small, exact statistics over in-memory samples. Quantiles use linear interpolation between
 * closest ranks (the "type 7" definition of R, NumPy and spreadsheets), so figures can be checked
 * against any of those tools.
 */

/** The q-quantile (0 ≤ q ≤ 1) of values sorted ascending; `null` for no values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo]!;
  return a + (sorted[hi]! - a) * (pos - lo);
}

/** A distribution summarised for people: count, mean and the usual quantiles. */
export interface Distribution {
  readonly count: number;
  readonly mean: number | null;
  readonly p10: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
  readonly max: number | null;
}

/** What a distribution is summarised from: exact values, or a sketch of them. */
export interface DistributionSource {
  readonly count: number;
  readonly sum: number;
  readonly max: number | null;
  /** The q-quantile with linear interpolation between ranks (type 7); `null` for no values. */
  quantile(q: number): number | null;
}

/** Below this many values the built-in sort is as fast as a radix pass. */
const RADIX_MIN = 512;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The radix sort's digits: the low 32-bit word's bits [0, 11), [11, 22), [22, 32), then the high word's. */
const DIGIT_SHIFT = [0, 11, 22, 0, 11, 22] as const;
const DIGIT_MASK = [0x7ff, 0x7ff, 0x3ff, 0x7ff, 0x7ff, 0x3ff] as const;
const DIGIT_BUCKETS = 2048;

/**
 * Sorts doubles ascending in place, as `Float64Array#sort` does (−0 before +0, NaN last), in
 * linear time: a least-significant-digit radix sort of the bit patterns. Non-negative values (every
 * duration) are already in the unsigned order of their patterns: only the bits that differ between
 * values are sorted, in digits of at most 11 bits (2,048 counters stay in the first-level cache, where
 * 16-bit digits scattered each pass over 65,536), each pass moving whole doubles and reading its digit
 * through an Int32Array view (a Uint32Array's words of 2^31 and up are not small integers in
 * optimised code). Values with a sign bit go the general way: the sign folded in so that the unsigned
 * order of the patterns is the numeric order, six fixed digits, and a digit all values share skipped.
 * The built-in sort was the largest single cost of an analysis's result (about a million stays and
 * cycle times on road-traffic).
 */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN || !LITTLE_ENDIAN || values.byteOffset % 4 !== 0) return values.sort();
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  // NaN (never a duration; rare anywhere) is left to the built-in order; a set sign bit (negatives, −0)
  // to the general path below.
  if (!scanBits(values, words)) return values.sort();
  if (BITS[2]! < 0) return sortSigned(values, n);
  return sortNonNegative(values, words, n, BITS[0]! ^ BITS[1]!, BITS[2]! ^ BITS[3]!);
}

/** `scanBits`'s answer: the OR and AND of the low words, then of the high words. */
const BITS = new Int32Array(4);

/**
 * The hot loops over every value run a chunk per call. A long loop in a function called a few times is
 * optimised part-way through its first run (on-stack replacement) from feedback that lacks what follows
 * the loop, so the optimised code left at the loop's end and every later call ran in the interpreter
 * until it re-entered; chunks give the whole function feedback and optimised code on the second call.
 */
const CHUNK = 8192;

/** Whether no value is NaN, with the OR and AND of the words in `BITS`. */
function scanBits(values: Float64Array, words: Int32Array): boolean {
  BITS[0] = 0;
  BITS[1] = -1;
  BITS[2] = 0;
  BITS[3] = -1;
  for (let at = 0; at < values.length; at += CHUNK)
    if (!scanChunk(values, words, at, Math.min(at + CHUNK, values.length))) return false;
  return true;
}

/** `scanBits` over values [from, to). */
function scanChunk(values: Float64Array, words: Int32Array, from: number, to: number): boolean {
  let orLo = BITS[0]!;
  let andLo = BITS[1]!;
  let orHi = BITS[2]!;
  let andHi = BITS[3]!;
  for (let i = from; i < to; i++) {
    if (values[i] !== values[i]) return false;
    const lo = words[2 * i]!;
    const hi = words[2 * i + 1]!;
    orLo |= lo;
    andLo &= lo;
    orHi |= hi;
    andHi &= hi;
  }
  BITS[0] = orLo;
  BITS[1] = andLo;
  BITS[2] = orHi;
  BITS[3] = andHi;
  return true;
}

/**
 * Non-negative doubles (no NaN), whose bit patterns read as unsigned are in numeric order; `varyLo`
 * and `varyHi` mark the bits of the low and high words that differ between values.
 */
function sortNonNegative(
  values: Float64Array,
  words: Int32Array,
  n: number,
  varyLo: number,
  varyHi: number,
): Float64Array {
  // Only the bits that differ need sorting, bits [low, high] of the 64-bit pattern, in equal digits.
  if (varyLo === 0 && varyHi === 0) return values;
  const low = varyLo !== 0 ? 31 - Math.clz32(varyLo & -varyLo) : 32 + 31 - Math.clz32(varyHi & -varyHi);
  const high = varyHi !== 0 ? 32 + 31 - Math.clz32(varyHi) : 31 - Math.clz32(varyLo);
  const bits = high - low + 1;
  const passes = Math.ceil(bits / 11);
  const width = Math.ceil(bits / passes);
  const counts = new Int32Array(1 << width);
  let src: Float64Array = values;
  let srcWords: Int32Array = words;
  let dst: Float64Array = new Float64Array(n);
  let dstWords: Int32Array = new Int32Array(dst.buffer);
  for (let pass = 0, at = low; pass < passes; pass++, at += width) {
    const w = Math.min(width, high + 1 - at);
    const mask = (1 << w) - 1;
    counts.fill(0);
    if (at >= 32) {
      countWord(srcWords, 1, at - 32, mask, counts);
      prefix(counts);
      scatterWord(src, srcWords, dst, counts, 1, at - 32, mask);
    } else if (at + w <= 32) {
      countWord(srcWords, 0, at, mask, counts);
      prefix(counts);
      scatterWord(src, srcWords, dst, counts, 0, at, mask);
    } else {
      countStraddle(srcWords, at, mask, counts);
      prefix(counts);
      scatterStraddle(src, srcWords, dst, counts, at, mask);
    }
    const t = src;
    src = dst;
    dst = t;
    const tw = srcWords;
    srcWords = dstWords;
    dstWords = tw;
  }
  if (src !== values) values.set(src);
  return values;
}

/** Turns digit counts into the first position of each digit. */
function prefix(counts: Int32Array): void {
  let sum = 0;
  for (let d = 0; d < counts.length; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
}

/** Counts one digit within one word (0 low, 1 high) of each value. */
function countWord(words: Int32Array, word: number, shift: number, mask: number, counts: Int32Array): void {
  for (let i = word; i < words.length; i += 2) counts[(words[i]! >>> shift) & mask]!++;
}

/** Counts one digit that starts in the low word at `shift` and ends in the high word. */
function countStraddle(words: Int32Array, shift: number, mask: number, counts: Int32Array): void {
  const up = 32 - shift;
  for (let i = 0; i < words.length; i += 2) counts[((words[i]! >>> shift) | (words[i + 1]! << up)) & mask]!++;
}

/** Moves each double to its digit's next position (a stable pass), the digit within one word. */
function scatterWord(
  src: Float64Array,
  srcWords: Int32Array,
  dst: Float64Array,
  offsets: Int32Array,
  word: number,
  shift: number,
  mask: number,
): void {
  const n = src.length;
  for (let i = 0; i < n; i++) dst[offsets[(srcWords[2 * i + word]! >>> shift) & mask]!++] = src[i]!;
}

/** As `scatterWord`, the digit straddling the two words as in `countStraddle`. */
function scatterStraddle(
  src: Float64Array,
  srcWords: Int32Array,
  dst: Float64Array,
  offsets: Int32Array,
  shift: number,
  mask: number,
): void {
  const n = src.length;
  const up = 32 - shift;
  for (let i = 0; i < n; i++)
    dst[offsets[((srcWords[2 * i]! >>> shift) | (srcWords[2 * i + 1]! << up)) & mask]!++] = src[i]!;
}

/** Any doubles but NaN: the sign folded in so that the unsigned order of the patterns is the numeric order. */
function sortSigned(values: Float64Array, n: number): Float64Array {
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const counts = new Uint32Array(6 * DIGIT_BUCKETS);
  // Little-endian doubles: word 2i is the low half, 2i+1 the high half (sign and exponent).
  for (let i = 0; i < n; i++) {
    let lo = words[2 * i]!;
    let hi = words[2 * i + 1]!;
    if (hi >>> 31 === 1) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    counts[lo & 0x7ff]!++;
    counts[DIGIT_BUCKETS + ((lo >>> 11) & 0x7ff)]!++;
    counts[2 * DIGIT_BUCKETS + (lo >>> 22)]!++;
    counts[3 * DIGIT_BUCKETS + (hi & 0x7ff)]!++;
    counts[4 * DIGIT_BUCKETS + ((hi >>> 11) & 0x7ff)]!++;
    counts[5 * DIGIT_BUCKETS + (hi >>> 22)]!++;
  }
  let src: Uint32Array = words;
  let dst: Uint32Array | undefined;
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * DIGIT_BUCKETS;
    const word = pass < 3 ? 0 : 1;
    const shift = DIGIT_SHIFT[pass]!;
    const mask = DIGIT_MASK[pass]!;
    // A pass where every value has the same digit changes nothing: skip it.
    if (counts[base + ((src[word]! >>> shift) & mask)] === n) continue;
    let sum = 0;
    for (let d = base; d < base + DIGIT_BUCKETS; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    dst ??= new Uint32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i]!;
      const hi = src[2 * i + 1]!;
      const at = counts[base + (((word === 0 ? lo : hi) >>> shift) & mask)]!++;
      dst[2 * at] = lo;
      dst[2 * at + 1] = hi;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== words) words.set(src);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi >>> 31 === 1) words[2 * i + 1] = hi & 0x7fffffff;
    else {
      words[2 * i] = ~words[2 * i]!;
      words[2 * i + 1] = ~hi;
    }
  }
  return values;
}

/** The exact source of values (any order; copied and sorted once). */
export function exactSource(values: ArrayLike<number>): DistributionSource {
  return sortedSource(sortFloat64(Float64Array.from(values)));
}

/** The exact source of values already in ascending order (kept, not copied: do not change them). */
export function sortedSource(sorted: Float64Array): DistributionSource {
  // In ascending order, a chunk at a time (see CHUNK): the same additions in the same order.
  let sum = 0;
  for (let at = 0; at < sorted.length; at += CHUNK) sum = sumFrom(sorted, at, Math.min(at + CHUNK, sorted.length), sum);
  return {
    count: sorted.length,
    sum,
    max: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
    quantile: (q) => quantileSorted(sorted, q),
  };
}

/** `sum` plus values [from, to), added in order. */
function sumFrom(values: Float64Array, from: number, to: number, sum: number): number {
  for (let i = from; i < to; i++) sum += values[i]!;
  return sum;
}

/** Exact quantiles of small integers from [value, count] pairs (handoffs per case). */
export function countsSource(counts: ReadonlyMap<number, number>): DistributionSource {
  const sorted = [...counts].sort((a, b) => a[0] - b[0]);
  let count = 0;
  let sum = 0;
  for (const [v, c] of sorted) {
    count += c;
    sum += v * c;
  }
  const at = (rank: number) => {
    let seen = 0;
    for (const [v, c] of sorted) {
      seen += c;
      if (rank < seen) return v;
    }
    return sorted[sorted.length - 1]![0];
  };
  return {
    count,
    sum,
    max: count === 0 ? null : sorted[sorted.length - 1]![0],
    quantile(q) {
      if (count === 0) return null;
      const pos = (count - 1) * q;
      const lo = Math.floor(pos);
      const a = at(lo);
      return a + (at(Math.min(lo + 1, count - 1)) - a) * (pos - lo);
    },
  };
}

/** Summarises a source, each figure divided by `unit` (e.g. ms per day). */
export function distributionFrom(source: DistributionSource, unit = 1): Distribution {
  const n = source.count;
  const q = (p: number) => {
    const v = source.quantile(p);
    return v === null ? null : v / unit;
  };
  return {
    count: n,
    mean: n === 0 ? null : source.sum / n / unit,
    p10: q(0.1),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: source.max === null ? null : source.max / unit,
  };
}

/** Summarises values (any order; not modified), each divided by `unit` (e.g. ms per day). */
export function distributionOf(values: readonly number[] | Float64Array, unit = 1): Distribution {
  const sorted = sortFloat64(Float64Array.from(values));
  const n = sorted.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const q = (p: number) => {
    const v = quantileSorted(sorted, p);
    return v === null ? null : v / unit;
  };
  return {
    count: n,
    mean: n === 0 ? null : sum / n / unit,
    p10: q(0.1),
    p25: q(0.25),
    p50: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: n === 0 ? null : sorted[n - 1]! / unit,
  };
}

/**
 * Counts per bin for ascending `edges`: bin i holds edges[i] ≤ v < edges[i+1]; the last bin is
 * open-ended (v ≥ last edge). Values below the first edge go into the first bin.
 */
export function histogram(values: readonly number[] | Float64Array, edges: readonly number[]): number[] {
  const counts: number[] = edges.map(() => 0);
  for (const v of values) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    counts[i]!++;
  }
  return counts;
}

/** A growable Float64 sample, so that large logs do not keep boxed numbers. */
export class Sample {
  private data = new Float64Array(64);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
