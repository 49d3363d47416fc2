import { kvs } from '@forge/kvs';
import type { CacheStore, CounterStore, LlmAuditRecord } from '@baton/core';
import * as z from 'zod';
import { ModelSettingsSchema } from '../contracts/model-settings.ts';
import type { ModelSettings } from '../contracts/model-settings.ts';

/**
 * KVS behind the model guard's ports: the admin's model settings, token and outcome counters
 * (budgets per day and per installation), the answer cache keyed by the redacted prompt's hash, and
 * one audit record per call (digests and counts; never prompt or answer text).
 */
const SETTINGS_KEY = 'model:settings';

// KVS keys allow [a-zA-Z0-9:._-#~ ] up to 500 characters; the guard's keys are colon-separated words and hex digests.
const key = (prefix: string, raw: string): string => `${prefix}${raw.replace(/[^a-zA-Z0-9:._-]/g, '_')}`.slice(0, 400);

export async function getModelSettings(): Promise<ModelSettings | undefined> {
  const raw: unknown = await kvs.get(SETTINGS_KEY);
  return raw === undefined ? undefined : ModelSettingsSchema.parse(raw);
}

export async function saveModelSettings(settings: ModelSettings): Promise<void> {
  await kvs.set(SETTINGS_KEY, ModelSettingsSchema.parse(settings));
}

/**
 * Counters as plain KVS values. Read-then-write is not atomic: two invocations at once may count
 * one call short, which only loosens a budget by a call; it never blocks a draft or a decision.
 */
export function createKvsCounterStore(): CounterStore {
  const read = async (k: string): Promise<number> => z.number().optional().parse(await kvs.get(key('count:', k))) ?? 0;
  return {
    get: read,
    async increment(k, by) {
      const next = (await read(k)) + by;
      // Day counters expire on their own; totals are kept.
      await kvs.set(key('count:', k), next, k.includes(':day:') ? { ttl: { value: 3, unit: 'DAYS' } } : undefined);
      return next;
    },
  };
}

/** Answers cached for a week, keyed by the hash of the redacted prompt. */
export function createKvsCacheStore(): CacheStore {
  return {
    get: async (k) => z.string().optional().parse(await kvs.get(key('cache:', k))),
    set: async (k, v) => {
      await kvs.set(key('cache:', k), v, { ttl: { value: 7, unit: 'DAYS' } });
    },
  };
}

/** One KVS record per model call, kept 30 days. */
export async function recordModelCall(r: LlmAuditRecord): Promise<void> {
  await kvs.set(key('llmaudit:', `${String(r.at).padStart(14, '0')}:${r.promptDigest.slice(0, 16)}:${r.outcome}`), r as never, { ttl: { value: 30, unit: 'DAYS' } });
}
