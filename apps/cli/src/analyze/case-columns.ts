import type { CaseEvent, CaseRecord } from '@baton/core';
import type { ReadItem } from '../readers/index.ts';

/**
 * Cases sent from the reading thread to the analysing one as columns in typed arrays, transferred
 * rather than cloned (a structured clone of one object per event costs about as much as parsing
 * it). Names (states, owners, actors, fields, sources) are ids into a table that only grows: each
 * batch carries the names new since the one before. Case ids travel as one string and their
 * lengths. Items that are not cases (skips, hints, progress) travel as they are, with the number of
 * cases before them, so that the order of everything stays the reader's.
 *
 * A record's `attributes` are not carried (the analysis and the outputs do not read them: a rebuilt
 * record has none), nor an event's `text` (XES and CSV events have none; the encoder refuses one).
 */
/** The typed arrays of a batch (each at least as long as the batch's cases or events). */
export interface CaseArrays {
  /** Per case: its id's length, its source, state and owner (name ids), due date (NaN: none), events. */
  readonly idLengths: Uint32Array;
  readonly source: Int32Array;
  readonly state: Int32Array;
  readonly owner: Int32Array;
  readonly due: Float64Array;
  readonly events: Uint32Array;
  /** Per event. */
  readonly at: Float64Array;
  readonly offset: Int16Array;
  readonly kind: Uint8Array;
  /** Name ids per event; `NULL` and `UNDEFINED` mark the missing ones. */
  readonly field: Int32Array;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly actor: Int32Array;
  readonly eventState: Int32Array;
  readonly eventOwner: Int32Array;
}

export interface CaseBatch {
  /** True when the name table starts again from empty before this batch's names. */
  readonly reset: boolean;
  /** Names new in this batch, ids counting on from the table's length. */
  readonly names: string[];
  readonly caseCount: number;
  readonly eventCount: number;
  /** The case ids one after the other (their lengths are in `arrays.idLengths`). */
  readonly ids: string;
  readonly arrays: CaseArrays;
  /** Other items, each after the first `before` cases of the batch. */
  readonly others: { readonly before: number; readonly item: ReadItem }[];
}

const NULL = -1;
const UNDEFINED = -2;
const KINDS = ['created', 'status', 'owner', 'field', 'comment', 'activity'] as const;
const KIND_ID: Readonly<Record<string, number>> = Object.fromEntries(KINDS.map((k, i) => [k, i]));

/** The buffers of a batch's arrays, to transfer rather than copy. */
export function arrayBuffers(a: CaseArrays): ArrayBuffer[] {
  return Object.values(a).map((v: ArrayBufferView) => v.buffer as ArrayBuffer);
}

const CASE_KEYS: ReadonlySet<string> = new Set(['idLengths', 'source', 'state', 'owner', 'due', 'events']);

function newArrays(cases: number, events: number): CaseArrays {
  return {
    idLengths: new Uint32Array(cases),
    source: new Int32Array(cases),
    state: new Int32Array(cases),
    owner: new Int32Array(cases),
    due: new Float64Array(cases),
    events: new Uint32Array(cases),
    at: new Float64Array(events),
    offset: new Int16Array(events),
    kind: new Uint8Array(events),
    field: new Int32Array(events),
    from: new Int32Array(events),
    to: new Int32Array(events),
    actor: new Int32Array(events),
    eventState: new Int32Array(events),
    eventOwner: new Int32Array(events),
  };
}

/** `a` with room for `cases` cases and `events` events, its first `usedCases` and `usedEvents` kept. */
function withRoom(a: CaseArrays, cases: number, events: number, usedCases: number, usedEvents: number): CaseArrays {
  if (cases <= a.source.length && events <= a.at.length) return a;
  const b = newArrays(Math.max(cases, a.source.length * 2, 256), Math.max(events, a.at.length * 2, 1024));
  for (const key of Object.keys(a) as (keyof CaseArrays)[]) {
    const used = CASE_KEYS.has(key) ? usedCases : usedEvents;
    const from = a[key] as unknown as { subarray(s: number, e: number): ArrayLike<number> };
    (b[key] as unknown as { set(v: ArrayLike<number>): void }).set(from.subarray(0, used));
  }
  return b;
}

export interface CaseEncoder {
  /** Adds a case (its events in the record's order). */
  addCase(record: CaseRecord): void;
  /** Adds any other item, in order after the cases added so far. */
  addItem(item: ReadItem): void;
  /** Events and items added since the last `take`. */
  readonly size: number;
  /** The batch of what was added since the last `take` (transfer its arrays: the encoder lets go of them). */
  take(): CaseBatch;
  /** Arrays of a batch the other side is done with, to fill again. */
  giveBack(arrays: CaseArrays): void;
}

/**
 * The reading thread's side. `maxNames`: past this many names the table starts again at the next
 * batch (a column of unique values must not grow it on both threads without limit).
 */
export function createCaseEncoder(maxNames = 1 << 18): CaseEncoder {
  const table = new Map<string, number>();
  const pool: CaseArrays[] = [];
  let reset = false;
  let names: string[] = [];
  let ids: string[] = [];
  let others: { before: number; item: ReadItem }[] = [];
  let cases = 0;
  let events = 0;
  let a = newArrays(1024, 8192);

  function id(name: string | null | undefined): number {
    if (name === null) return NULL;
    if (name === undefined) return UNDEFINED;
    let n = table.get(name);
    if (n === undefined) {
      n = table.size;
      table.set(name, n);
      names.push(name);
    }
    return n;
  }

  return {
    addCase(record) {
      const list = record.events;
      a = withRoom(a, cases + 1, events + list.length, cases, events);
      const { at, offset, kind, field, from, to, actor, eventState, eventOwner } = a;
      const c = cases++;
      ids.push(record.id);
      a.idLengths[c] = record.id.length;
      a.source[c] = id(record.source);
      a.state[c] = id(record.state);
      a.owner[c] = id(record.owner);
      a.due[c] = record.due ?? Number.NaN;
      a.events[c] = list.length;
      // Each event's `from` is usually the `to` before it, its `state` its `to`, its owner the one
      // before: those skip the name table.
      let lastTo: string | null | undefined = null;
      let lastToId = NULL;
      let lastOwner: string | null | undefined = null;
      let lastOwnerId = NULL;
      for (let i = 0; i < list.length; i++) {
        const e = list[i]!;
        if (e.text !== undefined) throw new Error('an event with text cannot be sent between threads');
        if (e.caseId !== record.id) throw new Error(`an event of case ${record.id} names case ${e.caseId}`);
        const k = events++;
        at[k] = e.at;
        offset[k] = e.offsetMinutes;
        kind[k] = KIND_ID[e.kind]!;
        field[k] = e.field === undefined ? UNDEFINED : id(e.field);
        from[k] = e.from === lastTo ? lastToId : id(e.from);
        const t = e.to === lastTo ? lastToId : id(e.to);
        to[k] = t;
        lastTo = e.to;
        lastToId = t;
        actor[k] = id(e.actor);
        eventState[k] = e.state === e.to ? t : id(e.state);
        const o = e.owner === lastOwner ? lastOwnerId : id(e.owner);
        eventOwner[k] = o;
        lastOwner = e.owner;
        lastOwnerId = o;
      }
    },
    addItem(item) {
      others.push({ before: cases, item });
    },
    get size() {
      return events + others.length;
    },
    take() {
      const batch: CaseBatch = {
        reset,
        names,
        caseCount: cases,
        eventCount: events,
        ids: ids.join(''),
        arrays: a,
        others,
      };
      reset = table.size > maxNames;
      if (reset) table.clear();
      a = pool.pop() ?? newArrays(a.source.length, a.at.length);
      cases = 0;
      events = 0;
      ids = [];
      names = [];
      others = [];
      return batch;
    },
    giveBack(arrays) {
      if (pool.length < 8) pool.push(arrays);
    },
  };
}

export interface CaseDecoder {
  /**
   * The items of a batch, in the reader's order (cases rebuilt as records), in pieces of about
   * `events` events: a piece is analysed before the next is made, so its objects die young (a whole
   * batch at once outlived young-generation collections).
   */
  decode(batch: CaseBatch, events?: number): Generator<ReadItem[]>;
}

/** The analysing thread's side: keeps the name table in step with the encoder's. */
export function createCaseDecoder(): CaseDecoder {
  let names: string[] = [];
  return {
    *decode(b, piece = 2048) {
      if (b.reset) names = [];
      for (const n of b.names) names.push(n);
      const table = names;
      const name = (i: number): string | null | undefined => (i >= 0 ? table[i] : i === NULL ? null : undefined);
      const a = b.arrays;
      let items: ReadItem[] = [];
      let other = 0;
      let idAt = 0;
      let k = 0;
      let pieceEnd = piece;
      for (let c = 0; c <= b.caseCount; c++) {
        while (other < b.others.length && b.others[other]!.before === c) items.push(b.others[other++]!.item);
        if (c === b.caseCount) break;
        if (k >= pieceEnd && items.length > 0) {
          yield items;
          items = [];
          pieceEnd = k + piece;
        }
        const idLength = a.idLengths[c]!;
        const caseId = b.ids.slice(idAt, idAt + idLength);
        idAt += idLength;
        const n = a.events[c]!;
        const events: CaseEvent[] = [];
        for (let i = 0; i < n; i++, k++) {
          // The fields in the order the readers give them (one hidden class for the analysis).
          const e: CaseEvent = {
            caseId,
            at: a.at[k]!,
            offsetMinutes: a.offset[k]!,
            kind: KINDS[a.kind[k]!]!,
            from: name(a.from[k]!),
            to: name(a.to[k]!),
            actor: name(a.actor[k]!),
            state: name(a.eventState[k]!),
            owner: name(a.eventOwner[k]!),
          };
          const f = a.field[k]!;
          if (f !== UNDEFINED) e.field = name(f) as string;
          events.push(e);
        }
        const record: CaseRecord = {
          id: caseId,
          source: name(a.source[c]!) as string,
          attributes: {},
          state: name(a.state[c]!),
          owner: name(a.owner[c]!),
          events,
        };
        const due = a.due[c]!;
        if (!Number.isNaN(due)) record.due = due;
        items.push({ type: 'case', record });
      }
      if (items.length > 0) yield items;
    },
  };
}
