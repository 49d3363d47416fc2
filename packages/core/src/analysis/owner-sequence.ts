import type { CaseEvent } from '../model/event.ts';

/** The owner an event leaves the case with: its `owner`, or the `to` of an owner change. */
function ownerAfter(event: CaseEvent): string | null | undefined {
  if (event.owner !== undefined) return event.owner;
  if (event.kind === 'owner') return event.to;
  return undefined;
}

/**
 * A case's owner sequence: its events' owners in time order, empty owners dropped, consecutive
 * repeats collapsed. `events` must already be in time order.
 * @example ownerSequence(events) // ['V30', 'V5 3rd', 'V30']
 */
export function ownerSequence(events: readonly CaseEvent[]): string[] {
  const sequence: string[] = [];
  for (const event of events) {
    const owner = ownerAfter(event);
    if (owner === undefined || owner === null || owner.trim() === '') continue;
    if (sequence[sequence.length - 1] !== owner) sequence.push(owner);
  }
  return sequence;
}

/** Handoffs: each change of owner in the sequence, i.e. its length − 1 (0 for no owner at all). */
export function countHandoffs(sequence: readonly string[]): number {
  return Math.max(0, sequence.length - 1);
}

/**
 * Ping-pong bounces: positions i where the sequence reads A, B, A at i, i+1, i+2. Overlapping
 * bounces count each (A,B,A,B has two: ABA and BAB) — every return to the previous owner is one.
 */
export function countPingPong(sequence: readonly string[]): number {
  let bounces = 0;
  for (let i = 0; i + 2 < sequence.length; i++) if (sequence[i] === sequence[i + 2]) bounces++;
  return bounces;
}

/** The unordered owner pair of each bounce (A, B, A → {A, B}), for "who bounces work between them". */
export function pingPongPairs(sequence: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 2 < sequence.length; i++) {
    if (sequence[i] !== sequence[i + 2]) continue;
    const a = sequence[i]!;
    const b = sequence[i + 1]!;
    pairs.push(a < b ? [a, b] : [b, a]);
  }
  return pairs;
}
