import type { CounterStore, LlmAuditRecord, LlmAuditSink } from '@baton/core/llm';
import { storage } from 'wxt/utils/storage';

// Where the model guard keeps its budget counters and audit lines in the extension: storage.local,
// so a restarted service worker still knows what today cost. Neither holds any text: counters are
// numbers, audit lines are digests and counts (core's LlmAuditRecord).

export const llmCountersItem = storage.defineItem<Record<string, number>>('local:llm-counters', {
  fallback: {},
  version: 1,
});
export const llmAuditItem = storage.defineItem<LlmAuditRecord[]>('local:llm-audit', { fallback: [], version: 1 });

/** The audit keeps the latest calls only: enough to see what the model did this week, bounded in size. */
export const MAX_AUDIT_LINES = 200;

/**
 * Tokens the rep's key may spend per UTC day through Baton. Opening a case asks for two texts of
 * about 1,500 tokens together; 200,000 covers a hundred cases a day, and stops a loop from running
 * up the rep's bill.
 */
export const OWN_MODEL_DAILY_TOKENS = 200_000;

/** What the options page shows about the model's use on this device. */
export interface ModelUse {
  readonly tokensToday: number;
  readonly dailyBudget: number;
  /** The latest calls, newest first: when, what for, which model, how it ended. No text. */
  readonly recent: readonly {
    at: number;
    purpose: string;
    model: string;
    outcome: string;
    tokens: number;
    latencyMs: number;
    issues: readonly string[];
  }[];
}

export function modelUseOf(
  counters: Record<string, number>,
  audit: readonly LlmAuditRecord[],
  now: number,
  latest = 5,
): ModelUse {
  const today = new Date(now).toISOString().slice(0, 10);
  return {
    tokensToday: counters[`llm:tokens:extension:day:${today}`] ?? 0,
    dailyBudget: OWN_MODEL_DAILY_TOKENS,
    recent: audit
      .slice(-latest)
      .reverse()
      .map((a) => ({
        at: a.at,
        purpose: a.purpose,
        model: a.model,
        outcome: a.outcome,
        tokens: a.inputTokens + a.outputTokens,
        latencyMs: a.latencyMs,
        issues: a.issues,
      })),
  };
}

/** Reads the counters and the audit from storage.local. */
export async function readModelUse(now: number): Promise<ModelUse> {
  const [counters, audit] = await Promise.all([llmCountersItem.getValue(), llmAuditItem.getValue()]);
  return modelUseOf(
    typeof counters === 'object' && counters !== null ? counters : {},
    Array.isArray(audit) ? audit : [],
    now,
  );
}

/** Runs read-modify-write steps one after another: the draft and the summary are asked in parallel. */
function serial(): <T>(step: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (step) => {
    const run = tail.then(step, step);
    tail = run.catch(() => undefined);
    return run;
  };
}

const DAY_KEY = /:day:(\d{4}-\d{2}-\d{2})$/;

/** Counters in storage.local. Per-day keys of earlier days are dropped when a later day's key is written. */
export function createStorageCounterStore(): CounterStore {
  const queue = serial();
  const read = async (): Promise<Record<string, number>> => {
    const v = await llmCountersItem.getValue();
    return typeof v === 'object' && v !== null ? v : {};
  };
  return {
    get: async (key) => (await read())[key] ?? 0,
    increment: (key, by) =>
      queue(async () => {
        const counts = await read();
        const next = (counts[key] ?? 0) + by;
        counts[key] = next;
        const day = DAY_KEY.exec(key)?.[1];
        if (day !== undefined) {
          for (const k of Object.keys(counts)) {
            const d = DAY_KEY.exec(k)?.[1];
            if (d !== undefined && d < day) delete counts[k];
          }
        }
        await llmCountersItem.setValue(counts);
        return next;
      }),
  };
}

/** Appends audit lines to storage.local, keeping the latest `MAX_AUDIT_LINES`. */
export function createStorageAuditSink(): LlmAuditSink {
  const queue = serial();
  return (record) =>
    queue(async () => {
      const lines = await llmAuditItem.getValue();
      await llmAuditItem.setValue([...(Array.isArray(lines) ? lines : []), record].slice(-MAX_AUDIT_LINES));
    });
}
