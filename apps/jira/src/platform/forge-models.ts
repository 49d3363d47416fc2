import { getAppContext } from '@forge/api';
import { fail } from '@baton/core';
import { createGuardedModel, LLM_ISSUE_CODES, llmIssue } from '@baton/core/llm';
import type { LanguageModelProvider } from '@baton/core/llm';
import { createForgeLlmProvider } from '@baton/llm-forge';
import type { AppModels, ModelEdition } from '../ports/models.ts';
import { DEFAULT_MODEL_SETTINGS } from '../contracts/model-settings.ts';
import type { ModelSettings } from '../contracts/model-settings.ts';
import {
  createKvsCacheStore,
  createKvsCounterStore,
  deleteModelKey,
  getModelKey,
  getModelSettings,
  modelKeyStatus,
  recordModelCall,
  saveModelSettings,
  setModelKey,
} from './model-stores.ts';

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

/** A provider that fails without a call: the guard audits and counts it, and the draft says why. */
const failing = (name: string, model: string, message: string): LanguageModelProvider => ({
  name,
  model,
  generate: async () => fail(llmIssue('llm.unauthorized', message)),
});

async function providerFor(s: ModelSettings, edition: ModelEdition): Promise<LanguageModelProvider | undefined> {
  switch (s.provider) {
    case 'none':
      return undefined;
    case 'forge-llm': {
      // Loaded only when chosen: the SDK reads the runtime's tracing context as it loads.
      const { forgeLlmApi } = await import('@baton/llm-forge/forge');
      return createForgeLlmProvider({ model: s.model }, forgeLlmApi);
    }
    case 'openai-compatible': {
      // Saved by the OpenAI edition and read by another build: nothing here can reach the host.
      if (edition.openaiProvider === undefined || s.openai === undefined) return undefined;
      const key = await getModelKey();
      if (key === undefined)
        return failing(
          'openai-compatible',
          s.openai.model,
          'no API key is stored: a site admin sets it on the Model tab',
        );
      return edition.openaiProvider(s.openai, key);
    }
  }
}

/**
 * The admin's model choice on the real platform: the settings in KVS, the API key in KVS's secret
 * store, and the chosen provider inside core's guard (redaction, quoting, schema, grounding,
 * budget, cache, audit). What the edition offers comes from `src/edition.ts`.
 */
export function forgeModels(now: () => number, edition: ModelEdition): AppModels {
  const counters = createKvsCounterStore();
  return {
    edition: { name: edition.name, providers: [...edition.providers], egress: [...edition.egress] },
    settings: async () => (await getModelSettings()) ?? DEFAULT_MODEL_SETTINGS,
    save: saveModelSettings,
    keyStatus: modelKeyStatus,
    setKey: (apiKey, by) => setModelKey(apiKey, now(), by),
    removeKey: deleteModelKey,
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
      const provider = await providerFor(s, edition);
      if (provider === undefined) return undefined;
      return createGuardedModel(provider, {
        installationId: installationId(),
        now,
        counters,
        cache: createKvsCacheStore(),
        budget: { dailyTokens: s.dailyTokens },
        audit: recordModelCall,
        deadline: { ms: MODEL_DEADLINE_MS, after: stoppableDelay },
      });
    },
  };
}

/** Resolves after `ms`, unless the model answers first: then the timer is cleared and it never resolves. */
function stoppableDelay(ms: number, onAnswer: (stopTimer: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onAnswer(() => clearTimeout(timer));
  });
}
