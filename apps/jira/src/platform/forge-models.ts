import { getAppContext } from '@forge/api';
import { createGuardedModel, LLM_ISSUE_CODES } from '@baton/core';
import { createForgeLlmProvider } from '@baton/llm-forge';
import type { AppModels } from '../app/app-deps.ts';
import { DEFAULT_MODEL_SETTINGS } from '../contracts/model-settings.ts';
import { createKvsCacheStore, createKvsCounterStore, getModelSettings, recordModelCall, saveModelSettings } from './model-stores.ts';

/** The guard's own deadline: a draft is worth a few seconds of a resolver's 25, not all of them. */
const MODEL_DEADLINE_MS = 12_000;

function installationId(): string {
  try {
    return getAppContext().installationAri.installationId;
  } catch {
    return 'unknown-installation';
  }
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The admin's model choice on the real platform: the settings in KVS, and for `forge-llm` the Forge
 * LLMs provider inside core's guard (redaction, quoting, schema, grounding, budget, cache, audit).
 */
export function forgeModels(now: () => number): AppModels {
  const counters = createKvsCounterStore();
  return {
    settings: async () => (await getModelSettings()) ?? DEFAULT_MODEL_SETTINGS,
    save: saveModelSettings,
    async usage() {
      const inst = installationId();
      const outcomes: Record<string, number> = {};
      for (const o of ['ok', 'cache_hit', ...LLM_ISSUE_CODES]) {
        const n = await counters.get(`llm:outcome:${inst}:${o}`);
        if (n > 0) outcomes[o] = n;
      }
      return { tokensToday: await counters.get(`llm:tokens:${inst}:day:${dayOf(now())}`), outcomes };
    },
    async wording() {
      const s = (await getModelSettings()) ?? DEFAULT_MODEL_SETTINGS;
      if (s.provider === 'none') return undefined;
      // Loaded only when chosen: the SDK reads the runtime's tracing context as it loads.
      const { forgeLlmApi } = await import('@baton/llm-forge/forge');
      return createGuardedModel(createForgeLlmProvider({ model: s.model }, forgeLlmApi), {
        installationId: installationId(),
        now,
        counters,
        cache: createKvsCacheStore(),
        budget: { dailyTokens: s.dailyTokens },
        audit: recordModelCall,
        deadline: { ms: MODEL_DEADLINE_MS, after: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()) },
      });
    },
  };
}
