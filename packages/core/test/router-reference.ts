// The router's prediction as it was before its speed-ups (issue 17), kept as the reference they must equal:
// the regular-expression tokenizer, the featurizer with a Map per block, scoring one row at a time,
// ranking by sorting {label, probability} objects. Tests (and `pnpm bench:route`, on the whole export)
// hold `predict` against `referencePredict`: the same labels in the same order, probabilities within 1e-12.
import type { FeatureSpec, RoutingInput, SparseVector } from '../src/classify/features.ts';
import { fnvAdd, fnvFinish, fnvStart } from '../src/classify/hash.ts';
import type { LinearModel } from '../src/classify/linear-model.ts';
import type { RankedLabel } from '../src/classify/router-model.ts';

/**
 * Code-aware tokenizer for issue text. Bug reports mix prose with identifiers, versions, paths and
 * stack traces, so a plain word split loses the most telling tokens:
 * - `Ti.UI.TableView` → `ti`, `ui`, `tableview`, `table`, `view` (dotted and camelCase parts, plus the whole);
 * - `get_current_position` → `get`, `current`, `position`, `get_current_position`;
 * - `6.1.2.GA` / `v3.0` → `#ver` and `ver:6.1` (the major.minor is what tells components apart; the
 *   patch level mostly tells time, which would leak the split);
 * - URLs become `#url` plus the host, plain numbers become `#num`.
 */
const TOKEN =
  /https?:\/\/[^\s)\]|>"']+|[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*|v?\d+(?:\.\d+)+[A-Za-z0-9.]*|\d+/g;
const VERSION = /^v?(\d+)\.(\d+)/;
const CAMEL = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

function pushWord(out: string[], word: string): void {
  const parts = word.match(CAMEL) ?? [];
  const whole = word.toLowerCase();
  if (whole.length > 1 && whole.length <= 40) out.push(whole);
  if (parts.length > 1) {
    for (const part of parts) {
      const p = part.toLowerCase();
      if (p.length > 1 && p !== whole) out.push(p);
    }
  }
}

/** Lower-cased tokens of `text`, in order (bigrams are built from this order). */
export function referenceTokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    if (raw.startsWith('http')) {
      out.push('#url');
      const host = /^https?:\/\/([^/:?#]+)/.exec(raw)?.[1];
      if (host !== undefined) out.push(`host:${host.toLowerCase().replace(/^www\./, '')}`);
      continue;
    }
    const version = VERSION.exec(raw);
    if (version !== null) {
      out.push('#ver', `ver:${version[1]}.${version[2]}`);
      continue;
    }
    if (/^\d+$/.test(raw)) {
      out.push('#num');
      continue;
    }
    const dotted = raw.split('.');
    if (dotted.length > 1) {
      for (const piece of dotted) pushWord(out, piece);
      out.push(raw.toLowerCase());
    } else if (raw.includes('_')) {
      const pieces = raw.split('_').filter((p) => p !== '');
      for (const piece of pieces) pushWord(out, piece);
      if (pieces.length > 1) out.push(raw.toLowerCase());
    } else {
      pushWord(out, raw);
    }
  }
  return out;
}

export function referenceFeaturize(input: RoutingInput, spec: FeatureSpec): SparseVector {
  const blocks = ['title', 'body', 'bigram', 'char', 'field'].map(() => new Map<number, number>());
  const [title, body, bigram, char, field] = blocks as [Map<number, number>, ...Map<number, number>[]];
  const count = (block: Map<number, number>, h: number) => block.set(h, (block.get(h) ?? 0) + 1);
  const titleTokens = referenceTokenize(input.title);
  const bodyTokens = referenceTokenize(input.body.slice(0, spec.maxBodyChars));
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

/** Raw scores as scoreClasses computed them first: one row at a time. */
export function referenceScores(model: LinearModel, x: SparseVector): Float64Array {
  const k = model.classes.length;
  const sums = new Float64Array(k);
  const { rowOf, values } = model;
  for (let j = 0; j < x.indices.length; j++) {
    const row = rowOf[x.indices[j]!]!;
    if (row < 0) continue;
    const v = x.values[j]!;
    const base = row * k;
    for (let c = 0; c < k; c++) sums[c] = sums[c]! + v * values[base + c]!;
  }
  for (let c = 0; c < k; c++) sums[c] = model.bias[c]! + sums[c]! * model.scales[c]!;
  return sums;
}

function referenceSoftmax(scores: ArrayLike<number>, temperature: number): Float64Array {
  const out = new Float64Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]! / temperature);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp(scores[i]! / temperature - max);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Ranked labels as `predict` gave them before (issue 17's speed-ups). */
export function referencePredict(
  model: { linear: LinearModel; spec: FeatureSpec },
  input: RoutingInput,
): RankedLabel[] {
  const p = referenceSoftmax(
    referenceScores(model.linear, referenceFeaturize(input, model.spec)),
    model.linear.temperature,
  );
  const ranked = model.linear.classes.map((label, i) => ({ label, probability: p[i]! }));
  return ranked.sort((a, b) => b.probability - a.probability || a.label.localeCompare(b.label));
}

/** Where two rankings first differ (a label, or a probability by more than `tolerance`), or undefined when they agree. */
export function rankingDifference(
  got: readonly RankedLabel[],
  want: readonly RankedLabel[],
  tolerance = 1e-12,
): string | undefined {
  if (got.length !== want.length) return `${got.length} labels, expected ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (g.label !== w.label) return `rank ${i + 1}: ${g.label}, expected ${w.label}`;
    if (!(Math.abs(g.probability - w.probability) <= tolerance))
      return `rank ${i + 1} (${g.label}): probability ${g.probability}, expected ${w.probability}`;
  }
  return undefined;
}
