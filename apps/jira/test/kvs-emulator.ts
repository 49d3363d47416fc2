import { readManifest } from './read-manifest.ts';

/**
 * An in-memory stand-in for the Forge KVS service, speaking the HTTP API that `@forge/kvs` calls
 * through `__forge_fetch__` (`/api/v1/get`, `/set`, `/entity/query`, `/secret/set`, ...). Custom entities,
 * their attributes (with types) and their indexes come from manifest.yml, so a query on an index the
 * manifest lacks, or a row with an attribute it does not declare, fails here as on the platform.
 * Every limit below is the one Forge documents, with the page it is documented on.
 */
interface IndexDef {
  name: string;
  partition?: string[];
  range: string[];
}
type AttrType = 'string' | 'integer' | 'float' | 'boolean' | 'any';

/**
 * Key pattern and length, for the KVS and custom entities alike:
 * https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-kvs and
 * https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-customentities
 * (`INVALID_KEY`: "does not match the regex /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/"; `KEY_TOO_LONG`: 500).
 * In that character class `\s-#` is a range (whitespace is not a range bound, so JavaScript reads
 * `\s`, `-` and `#` literally): `~`, `/`, `@`, `+` and non-ASCII letters are refused.
 */
export const FORGE_KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
export const MAX_KEY_LENGTH = 500;
/** "The provided value has exceeded the maximum object depth (32) limit" (same two pages, `MAX_DEPTH`). */
export const MAX_DEPTH = 32;
/**
 * Custom-entity queries and KVS queries return 1–100 items per page; more through the cursor
 * (https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query-complex/ ,
 * https://developer.atlassian.com/platform/forge/limits-kvs-ce). Default page: 10.
 */
export const MAX_QUERY_LIMIT = 100;
/**
 * Entity attribute types (https://developer.atlassian.com/platform/forge/storage-reference/storage-api-custom-entities/
 * "Type requirements"): an `integer` is a 32-bit signed integer, so a millisecond timestamp is not one.
 */
const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
/**
 * A transaction (https://developer.atlassian.com/platform/forge/storage-reference/transactions/) succeeds or
 * fails as a whole, each key at most once, within the 4 MB request payload that batch operations share
 * (https://developer.atlassian.com/platform/forge/storage-reference/batchops "similar to transactions").
 */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
interface Stored {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireAt?: number;
}
type Cond = { condition: string; values: unknown[] };

/** Value size: 240 KiB (https://developer.atlassian.com/platform/forge/limits-kvs-ce , "Storage limits"). */
export const MAX_VALUE_BYTES = 240 * 1024;

const depthOf = (v: unknown): number =>
  typeof v === 'object' && v !== null
    ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depthOf))
    : 0;

/**
 * A Map that keeps its keys sorted as they come and go, so a key query (`beginsWith`, Forge's key
 * order) costs a binary search and the rows it returns, not a sort of every key: the 50,000-issue
 * benchmark stores a few keys per issue and queries them on every evaluation.
 */
class SortedKeyMap<V> extends Map<string, V> {
  private sorted: string[] = [];
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.sorted[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  override set(key: string, value: V): this {
    // Map's constructor calls set before the fields exist; this map is always built empty.
    if (!super.has(key)) this.sorted.splice(this.lowerBound(key), 0, key);
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    if (!super.delete(key)) return false;
    this.sorted.splice(this.lowerBound(key), 1);
    return true;
  }
  override clear(): void {
    super.clear();
    this.sorted = [];
  }
  /** Keys in order, starting at the first one that begins with `prefix` (all keys for ''). */
  *keysFrom(prefix: string): Generator<string> {
    for (let i = this.lowerBound(prefix); i < this.sorted.length; i++) yield this.sorted[i] as string;
  }
}

export class KvsEmulator {
  readonly kv = new SortedKeyMap<Stored>();
  /** `kvs.setSecret` values: a space of their own, which `query` never lists (as in Forge). */
  readonly secrets = new Map<string, Stored>();
  readonly entities = new Map<string, Map<string, Stored>>();
  private readonly indexes = new Map<string, IndexDef[]>();
  private readonly attributes = new Map<string, Record<string, AttrType>>();
  calls: { path: string; body: unknown }[] = [];

  constructor(
    manifestPath: string,
    private readonly now: () => number = Date.now,
  ) {
    const manifest = readManifest(manifestPath) as {
      app?: {
        storage?: {
          entities?: { name: string; attributes?: Record<string, { type: AttrType }>; indexes?: IndexDef[] }[];
        };
      };
    };
    for (const e of manifest.app?.storage?.entities ?? []) {
      this.indexes.set(e.name, e.indexes ?? []);
      this.attributes.set(e.name, Object.fromEntries(Object.entries(e.attributes ?? {}).map(([k, a]) => [k, a.type])));
      this.entities.set(e.name, new Map());
    }
  }

  private live(map: Map<string, Stored>, key: string): Stored | undefined {
    const s = map.get(key);
    if (s?.expireAt !== undefined && s.expireAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return s;
  }

  private space(entityName: string | undefined): Map<string, Stored> {
    if (entityName === undefined) return this.kv;
    const m = this.entities.get(entityName);
    if (!m) throw new KvsFailure(400, 'ENTITY_NOT_FOUND', `Entity '${entityName}' is not declared in the manifest`);
    return m;
  }

  private put(
    map: Map<string, Stored>,
    key: string,
    value: unknown,
    options?: { keyPolicy?: string; ttl?: { value: number; unit: string } },
  ): void {
    checkKey(key);
    if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES)
      throw new KvsFailure(400, 'MAX_SIZE', `the value of '${key}' exceeds 240 KiB`);
    if (depthOf(value) > MAX_DEPTH)
      throw new KvsFailure(400, 'MAX_DEPTH', `the value of '${key}' is nested deeper than ${MAX_DEPTH}`);
    const existing = this.live(map, key);
    if (options?.keyPolicy === 'FAIL_IF_EXISTS' && existing)
      throw new KvsFailure(409, 'KEY_ALREADY_EXISTS', `key '${key}' already exists`);
    const unit = { SECONDS: 1e3, MINUTES: 6e4, HOURS: 36e5, DAYS: 864e5 }[options?.ttl?.unit ?? 'SECONDS'] ?? 1e3;
    const now = this.now();
    map.set(key, {
      value: structuredClone(value),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      ...(options?.ttl ? { expireAt: now + options.ttl.value * unit } : {}),
    });
  }

  handle(path: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    this.calls.push({ path, body });
    try {
      switch (path) {
        case '/api/v1/get':
        case '/api/v1/entity/get': {
          const map = this.space(body.entityName as string | undefined);
          checkKey(body.key);
          const s = this.live(map, body.key as string);
          if (!s) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'key not found');
          return {
            status: 200,
            body: { key: body.key, value: s.value, createdAt: s.createdAt, updatedAt: s.updatedAt },
          };
        }
        case '/api/v1/set':
        case '/api/v1/entity/set': {
          const entityName = body.entityName as string | undefined;
          if (entityName !== undefined) this.checkEntityValue(entityName, body.value);
          this.put(this.space(entityName), body.key as string, body.value, body.options as never);
          return { status: 204 };
        }
        case '/api/v1/delete':
        case '/api/v1/entity/delete': {
          const map = this.space(body.entityName as string | undefined);
          checkKey(body.key);
          if (!this.live(map, body.key as string)) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'key not found');
          map.delete(body.key as string);
          return { status: 204 };
        }
        case '/api/v1/secret/get': {
          const s = this.live(this.secrets, body.key as string);
          if (!s) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'key not found');
          return {
            status: 200,
            body: { key: body.key, value: s.value, createdAt: s.createdAt, updatedAt: s.updatedAt },
          };
        }
        case '/api/v1/secret/set':
          this.put(this.secrets, body.key as string, body.value, body.options as never);
          return { status: 204 };
        case '/api/v1/secret/delete':
          if (!this.live(this.secrets, body.key as string)) throw new KvsFailure(404, 'KEY_NOT_FOUND', 'key not found');
          this.secrets.delete(body.key as string);
          return { status: 204 };
        case '/api/v1/query':
          return { status: 200, body: this.query(body) };
        case '/api/v1/entity/query':
          return { status: 200, body: this.queryEntity(body) };
        case '/api/v1/transaction':
          this.transact(body);
          return { status: 204 };
        default:
          throw new KvsFailure(404, 'NOT_FOUND', `no such KVS endpoint ${path}`);
      }
    } catch (e) {
      if (e instanceof KvsFailure) return { status: e.status, body: { code: e.code, message: e.message } };
      throw e;
    }
  }

  /**
   * All or nothing: every operation is checked (keys, values, entity rows, conditions) against a copy,
   * and the copy replaces the stores only when all pass. A key may appear once per transaction.
   */
  private transact(body: Record<string, unknown>): void {
    type Op = { key: string; value?: unknown; entityName?: string; options?: never; conditions?: Filters };
    const sets = (body.set as Op[] | undefined) ?? [];
    const deletes = (body.delete as Op[] | undefined) ?? [];
    const checks = (body.check as Op[] | undefined) ?? [];
    if (Buffer.byteLength(JSON.stringify(body)) > MAX_TRANSACTION_BYTES)
      throw new KvsFailure(400, 'MAX_SIZE', 'the transaction exceeds 4 MB');
    const seen = new Set<string>();
    for (const op of [...sets, ...deletes, ...checks]) {
      const id = `${op.entityName ?? ''}\u0000${op.key}`;
      if (seen.has(id)) throw new KvsFailure(400, 'DUPLICATE_KEY', `key '${op.key}' appears twice in one transaction`);
      seen.add(id);
    }
    const copies = new Map<string, Map<string, Stored>>();
    const spaceCopy = (entityName: string | undefined): Map<string, Stored> => {
      const name = entityName ?? '';
      let m = copies.get(name);
      if (!m) copies.set(name, (m = new Map(this.space(entityName))));
      return m;
    };
    const holds = (op: Op): boolean => {
      if (op.conditions === undefined) return true;
      checkKey(op.key);
      const current = this.live(spaceCopy(op.entityName), op.key)?.value as Record<string, unknown> | undefined;
      return current !== undefined && filterMatches(current, op.conditions);
    };
    for (const op of [...checks, ...sets, ...deletes])
      if (!holds(op)) throw new KvsFailure(409, 'CONDITION_FAILED', `the condition on '${op.key}' does not hold`);
    for (const s of sets) {
      if (s.entityName !== undefined) this.checkEntityValue(s.entityName, s.value);
      this.put(spaceCopy(s.entityName), s.key, s.value, s.options);
    }
    for (const d of deletes) {
      checkKey(d.key);
      spaceCopy(d.entityName).delete(d.key);
    }
    for (const [name, m] of copies) {
      const target = name === '' ? this.kv : this.space(name);
      for (const k of [...target.keys()]) if (!m.has(k)) target.delete(k);
      for (const [k, v] of m) target.set(k, v);
    }
  }

  private checkEntityValue(entityName: string, value: unknown): void {
    const declared = this.attributes.get(entityName) ?? {};
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new KvsFailure(400, 'INVALID_ENTITY', `a '${entityName}' row must be an object`);
    for (const [attr, v] of Object.entries(value as Record<string, unknown>)) {
      const type = declared[attr];
      if (type === undefined)
        throw new KvsFailure(
          400,
          'INVALID_ENTITY',
          `attribute '${attr}' is not declared for entity '${entityName}' in manifest.yml`,
        );
      if (!typeFits(type, v))
        throw new KvsFailure(
          400,
          'INVALID_ENTITY',
          `attribute '${attr}' of entity '${entityName}' is declared ${type}; got ${JSON.stringify(v)}`,
        );
    }
    for (const idx of this.indexes.get(entityName) ?? []) {
      for (const attr of [...(idx.partition ?? []), ...idx.range]) {
        if ((value as Record<string, unknown>)[attr] === undefined)
          throw new KvsFailure(400, 'INVALID_ENTITY', `attribute '${attr}' (index ${idx.name}) is missing`);
      }
    }
  }

  /**
   * One page of `rows` (already in the query's order). The cursor names the last row returned (its position in the
   * order, then its key), not an offset: like the service's, a page that follows a delete neither skips nor repeats
   * a row. Cursors are opaque and not to be persisted
   * (https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-query/, "Cursors").
   */
  private page<R extends { key: string; value: unknown }>(
    rows: R[],
    body: Record<string, unknown>,
    position: (row: R) => unknown = (row) => row.key,
    order: (a: unknown, b: unknown) => number = byCodeUnit,
    descending = false,
  ) {
    const raw = body.cursor ?? body.after;
    let start = 0;
    if (raw !== undefined && raw !== null && raw !== '') {
      const after = decodeCursor(String(raw));
      const afterIt = (row: R): boolean => {
        const c = order(position(row), after.at) || row.key.localeCompare(after.key);
        return descending ? c < 0 : c > 0;
      };
      start = rows.findIndex(afterIt);
      if (start < 0) start = rows.length;
    }
    const limit = Number(body.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT)
      throw new KvsFailure(400, 'INVALID_LIMIT', `query limit ${String(body.limit)} is outside 1–${MAX_QUERY_LIMIT}`);
    const data = rows.slice(start, start + limit);
    const last = data.at(-1);
    return {
      data,
      ...(start + limit < rows.length && last !== undefined
        ? { cursor: encodeCursor({ at: position(last), key: last.key }) }
        : {}),
    };
  }

  private query(body: Record<string, unknown>) {
    const where = (body.where as ({ property: string } & Cond)[] | undefined) ?? [];
    // A `beginsWith` on the key starts at its prefix and stops past it; any other condition reads every key.
    const prefix = where.find((w) => w.condition === 'BEGINS_WITH');
    const from = prefix === undefined ? '' : String(prefix.values[0]);
    const keys: string[] = [];
    for (const k of this.kv.keysFrom(from)) {
      if (!k.startsWith(from)) break;
      keys.push(k);
    }
    const rows = keys
      .filter((k) => this.live(this.kv, k) && where.every((w) => matches(k, w)))
      .map((key) => ({ key, value: this.kv.get(key)?.value }));
    return this.page(rows, body);
  }

  private queryEntity(body: Record<string, unknown>) {
    const entityName = body.entityName as string;
    const idx = (this.indexes.get(entityName) ?? []).find((i) => i.name === body.indexName);
    if (!idx)
      throw new KvsFailure(
        400,
        'INDEX_NOT_FOUND',
        `index '${String(body.indexName)}' is not declared for entity '${entityName}'`,
      );
    const map = this.space(entityName);
    const partition = (body.partition as unknown[] | undefined) ?? [];
    if ((idx.partition?.length ?? 0) !== partition.length)
      throw new KvsFailure(
        400,
        'INVALID_PARTITION',
        `index '${idx.name}' needs ${idx.partition?.length ?? 0} partition value(s)`,
      );
    const rangeAttr = idx.range[0] as string;
    const filters = body.filters as Filters | undefined;
    const rows = [...map.entries()]
      .filter(([k]) => this.live(map, k))
      .map(([key, s]) => ({ key, value: s.value as Record<string, unknown> }))
      .filter((r) => (idx.partition ?? []).every((attr, i) => r.value[attr] === partition[i]))
      .filter((r) => body.range === undefined || matches(r.value[rangeAttr], body.range as Cond))
      .filter((r) => !filters?.and || filters.and.every((f) => matches(r.value[f.property], f)))
      .filter((r) => !filters?.or || filters.or.some((f) => matches(r.value[f.property], f)))
      .sort((a, b) => cmp(a.value[rangeAttr], b.value[rangeAttr]) || a.key.localeCompare(b.key));
    const descending = body.sort === 'DESC';
    if (descending) rows.reverse();
    return this.page(rows, body, (r) => r.value[rangeAttr], cmp, descending);
  }
}

const encodeCursor = (c: { at: unknown; key: string }): string => Buffer.from(JSON.stringify(c)).toString('base64url');

function decodeCursor(raw: string): { at: unknown; key: string } {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as { at?: unknown; key?: unknown };
    if (typeof c.key === 'string') return { at: c.at, key: c.key };
  } catch {
    // falls through to the refusal below
  }
  throw new KvsFailure(400, 'INVALID_CURSOR', `cursor '${raw.slice(0, 40)}' was not returned by this query`);
}

type Filters = { and?: ({ property: string } & Cond)[]; or?: ({ property: string } & Cond)[] };

const filterMatches = (row: Record<string, unknown>, f: Filters): boolean =>
  (!f.and || f.and.every((c) => matches(row[c.property], c))) &&
  (!f.or || f.or.some((c) => matches(row[c.property], c)));

function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key.length === 0) throw new KvsFailure(400, 'EMPTY_KEY', 'key cannot be empty');
  if (key.length > MAX_KEY_LENGTH)
    throw new KvsFailure(400, 'KEY_TOO_LONG', `key '${key.slice(0, 40)}…' is longer than ${MAX_KEY_LENGTH}`);
  if (!FORGE_KEY_PATTERN.test(key))
    throw new KvsFailure(400, 'INVALID_KEY', `key '${key}' does not match ${String(FORGE_KEY_PATTERN)}`);
}

function typeFits(type: AttrType, v: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return Number.isInteger(v) && (v as number) >= INT32.min && (v as number) <= INT32.max;
    case 'float':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'any':
      return true;
  }
}

/** A refusal the emulator answers with (as the service does), never a crash: its stack is never read, so none is taken. */
class KvsFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.status = status;
    this.code = code;
  }
}

/** Keys in the order the store lists them (UTF-16 code units, as `SortedKeyMap` keeps them). */
const byCodeUnit = (a: unknown, b: unknown): number => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

const cmp = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));

function matches(v: unknown, c: Cond): boolean {
  const [a, b] = c.values;
  switch (c.condition) {
    case 'EQUAL_TO':
      return v === a;
    case 'NOT_EQUAL_TO':
      return v !== a;
    case 'BEGINS_WITH':
      return typeof v === 'string' && v.startsWith(String(a));
    case 'BETWEEN':
      return cmp(v, a) >= 0 && cmp(v, b) <= 0;
    case 'GREATER_THAN':
      return cmp(v, a) > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return cmp(v, a) >= 0;
    case 'LESS_THAN':
      return cmp(v, a) < 0;
    case 'LESS_THAN_EQUAL_TO':
      return cmp(v, a) <= 0;
    case 'EXISTS':
      return v !== undefined;
    case 'NOT_EXISTS':
      return v === undefined;
    case 'CONTAINS':
      return (typeof v === 'string' || Array.isArray(v)) && v.includes(a as never);
    case 'NOT_CONTAINS':
      return !((typeof v === 'string' || Array.isArray(v)) && v.includes(a as never));
    default:
      throw new KvsFailure(400, 'INVALID_CONDITION', `unknown condition ${c.condition}`);
  }
}
