import { kvs } from '@forge/kvs';
import type { CacheStore, CounterStore, LlmAuditRecord } from '@baton/core/llm';
import * as z from 'zod';
import { ModelSettingsSchema } from '../contracts/model-settings.ts';
import { safeKey } from './baton-storage.ts';
import type { ModelKeyStatus, ModelSettings } from '../contracts/model-settings.ts';

/**
 * KVS behind the model guard's ports: the admin's model settings, token and outcome counters
 * (budgets per day and per installation), the answer cache keyed by the redacted prompt's hash, and
 * one audit record per call (digests and counts; never prompt or answer text).
 */
const SETTINGS_KEY = 'model:settings';

// The guard's keys are colon-separated words and hex digests: made safe for Forge's key pattern as every app key is.
const key = (prefix: string, raw: string): string => safeKey(prefix, raw);

export async function getModelSettings(): Promise<ModelSettings | undefined> {
  const raw: unknown = await kvs.get(SETTINGS_KEY);
  return raw === undefined ? undefined : ModelSettingsSchema.parse(raw);
}

export async function saveModelSettings(settings: ModelSettings): Promise<void> {
  await kvs.set(SETTINGS_KEY, ModelSettingsSchema.parse(settings));
}

// The OpenAI-compatible provider's API key: in KVS's encrypted secret store (`kvs.setSecret`, not
// queryable, never listed), read only where the provider is built. When it was set is kept beside it
// as a plain value, so the admin page can say so without reading the secret.
const KEY_SECRET = 'model:openai:apiKey';
const KEY_META = 'model:openai:keyMeta';
const KeyMetaSchema = z.object({ setAt: z.number().int(), setBy: z.string() });

export async function getModelKey(): Promise<string | undefined> {
  return z
    .string()
    .optional()
    .parse(await kvs.getSecret(KEY_SECRET));
}

export async function setModelKey(apiKey: string, setAt: number, setBy: string): Promise<void> {
  await kvs.setSecret(KEY_SECRET, apiKey);
  await kvs.set(KEY_META, KeyMetaSchema.parse({ setAt, setBy }));
}

export async function deleteModelKey(): Promise<void> {
  await kvs.deleteSecret(KEY_SECRET);
  await kvs.delete(KEY_META);
}

export async function modelKeyStatus(): Promise<ModelKeyStatus> {
  const meta = KeyMetaSchema.safeParse(await kvs.get(KEY_META));
  return meta.success ? { set: true, setAt: meta.data.setAt } : { set: false };
}

/**
 * Counters that stay exact when invocations count at once. KVS has no atomic increment, and its
 * transaction conditions apply to custom entities only, so each counter is a chain of slots like the
 * audit chain: slot N holds the running total after the N-th increment and is taken with
 * FAIL_IF_EXISTS, so two writers cannot both add to the same total; the one that loses the slot
 * reads the winner's total and takes the next. `head` is only a hint where to start walking.
 * A counter written before the chain (one plain value at `count:<key>`) is its starting total.
 */
/** Slots kept behind the newest: a head hint lags by the calls in flight at once, far fewer than this. */
const PRUNE_BEHIND = 100;
const pad = (n: number): string => String(n).padStart(10, '0');

export function createKvsCounterStore(): CounterStore {
  const Slot = z.object({ total: z.number() });
  const slotKey = (k: string, seq: number): string => key(`count:${pad(seq)}:`, k);
  const headKey = (k: string): string => key('counthead:', k);
  // Day counters expire on their own; totals are kept (their chain pruned behind the head).
  const ttlOf = (k: string) => (k.includes(':day:') ? { ttl: { value: 3, unit: 'DAYS' as const } } : {});

  /** The last slot (walking forward from the head hint) and its total; -1 and the legacy value when none. */
  const last = async (k: string): Promise<{ seq: number; total: number }> => {
    let seq =
      z
        .number()
        .int()
        .optional()
        .parse(await kvs.get(headKey(k))) ?? -1;
    let total: number | undefined = seq < 0 ? undefined : Slot.optional().parse(await kvs.get(slotKey(k, seq)))?.total;
    for (;;) {
      const next = Slot.optional().parse(await kvs.get(slotKey(k, seq + 1)));
      if (next === undefined) break;
      total = next.total;
      seq++;
    }
    return {
      seq,
      total:
        total ??
        z
          .number()
          .optional()
          .parse(await kvs.get(key('count:', k))) ??
        0,
    };
  };

  return {
    get: async (k) => (await last(k)).total,
    async increment(k, by) {
      for (;;) {
        const { seq, total } = await last(k);
        const next = total + by;
        try {
          await kvs.set(slotKey(k, seq + 1), { total: next }, { keyPolicy: 'FAIL_IF_EXISTS', ...ttlOf(k) });
        } catch (e) {
          if ((await kvs.get(slotKey(k, seq + 1))) !== undefined) continue; // another call took the slot: add after it
          throw e;
        }
        await kvs.set(headKey(k), seq + 1, ttlOf(k));
        if (seq + 1 >= PRUNE_BEHIND) await kvs.delete(slotKey(k, seq + 1 - PRUNE_BEHIND));
        return next;
      }
    },
  };
}

/** Answers cached for a week, keyed by the hash of the redacted prompt. */
export function createKvsCacheStore(): CacheStore {
  return {
    get: async (k) =>
      z
        .string()
        .optional()
        .parse(await kvs.get(key('cache:', k))),
    set: async (k, v) => {
      await kvs.set(key('cache:', k), v, { ttl: { value: 7, unit: 'DAYS' } });
    },
  };
}

/** One KVS record per model call, kept 30 days. */
export async function recordModelCall(r: LlmAuditRecord): Promise<void> {
  await kvs.set(
    key('llmaudit:', `${String(r.at).padStart(14, '0')}:${r.promptDigest.slice(0, 16)}:${r.outcome}`),
    r as never,
    { ttl: { value: 30, unit: 'DAYS' } },
  );
}
