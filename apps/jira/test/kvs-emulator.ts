import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * An in-memory stand-in for the Forge KVS service, speaking the HTTP API that `@forge/kvs` calls
 * through `__forge_fetch__` (`/api/v1/get`, `/set`, `/entity/query`, `/secret/set`, ...). Custom entities and
 * their indexes come from manifest.yml, so a query on an index the manifest lacks fails here too.
 */
interface IndexDef {
  name: string;
  partition?: string[];
  range: string[];
}
interface Stored {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expireAt?: number;
}
type Cond = { condition: string; values: unknown[] };

const MAX_VALUE_BYTES = 240 * 1024;

export class KvsEmulator {
  readonly kv = new Map<string, Stored>();
  /** `kvs.setSecret` values: a space of their own, which `query` never lists (as in Forge). */
  readonly secrets = new Map<string, Stored>();
  readonly entities = new Map<string, Map<string, Stored>>();
  private readonly indexes = new Map<string, IndexDef[]>();
  calls: { path: string; body: unknown }[] = [];

  constructor(
    manifestPath: string,
    private readonly now: () => number = Date.now,
  ) {
    const manifest = parse(readFileSync(manifestPath, 'utf8')) as {
      app?: { storage?: { entities?: { name: string; indexes?: IndexDef[] }[] } };
    };
    for (const e of manifest.app?.storage?.entities ?? []) {
      this.indexes.set(e.name, e.indexes ?? []);
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
    if (!/^(?!\s+$)[a-zA-Z0-9:._\s\-#~]+$/.test(key) || key.length > 500)
      throw new KvsFailure(400, 'INVALID_KEY', `invalid key '${key}'`);
    if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES)
      throw new KvsFailure(413, 'VALUE_TOO_LARGE', 'value exceeds 240 KiB');
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
        case '/api/v1/transaction': {
          for (const s of (body.set as
            { key: string; value: unknown; entityName?: string; options?: never }[] | undefined) ?? [])
            this.put(this.space(s.entityName), s.key, s.value, s.options);
          for (const d of (body.delete as { key: string; entityName?: string }[] | undefined) ?? [])
            this.space(d.entityName).delete(d.key);
          return { status: 204 };
        }
        default:
          throw new KvsFailure(404, 'NOT_FOUND', `no such KVS endpoint ${path}`);
      }
    } catch (e) {
      if (e instanceof KvsFailure) return { status: e.status, body: { code: e.code, message: e.message } };
      throw e;
    }
  }

  private checkEntityValue(entityName: string, value: unknown): void {
    for (const idx of this.indexes.get(entityName) ?? []) {
      for (const attr of [...(idx.partition ?? []), ...idx.range]) {
        if ((value as Record<string, unknown>)[attr] === undefined)
          throw new KvsFailure(400, 'INVALID_ENTITY', `attribute '${attr}' (index ${idx.name}) is missing`);
      }
    }
  }

  private page(rows: { key: string; value: unknown }[], body: Record<string, unknown>) {
    const offset =
      (body.cursor ?? body.after) ? Number(Buffer.from(String(body.cursor ?? body.after), 'base64url').toString()) : 0;
    const limit = Number(body.limit ?? 10);
    const data = rows.slice(offset, offset + limit);
    return {
      data,
      ...(offset + limit < rows.length ? { cursor: Buffer.from(String(offset + limit)).toString('base64url') } : {}),
    };
  }

  private query(body: Record<string, unknown>) {
    const where = (body.where as ({ property: string } & Cond)[] | undefined) ?? [];
    const rows = [...this.kv.keys()]
      .sort()
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
    const filters = body.filters as
      { and?: ({ property: string } & Cond)[]; or?: ({ property: string } & Cond)[] } | undefined;
    const rows = [...map.entries()]
      .filter(([k]) => this.live(map, k))
      .map(([key, s]) => ({ key, value: s.value as Record<string, unknown> }))
      .filter((r) => (idx.partition ?? []).every((attr, i) => r.value[attr] === partition[i]))
      .filter((r) => body.range === undefined || matches(r.value[rangeAttr], body.range as Cond))
      .filter((r) => !filters?.and || filters.and.every((f) => matches(r.value[f.property], f)))
      .filter((r) => !filters?.or || filters.or.some((f) => matches(r.value[f.property], f)))
      .sort((a, b) => cmp(a.value[rangeAttr], b.value[rangeAttr]) || a.key.localeCompare(b.key));
    if (body.sort === 'DESC') rows.reverse();
    return this.page(rows, body);
  }
}

class KvsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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
