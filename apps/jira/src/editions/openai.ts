import { fetch as forgeFetch } from '@forge/api';
import { createOpenAIProvider } from '@baton/llm-openai';
import { OPENAI_EGRESS, onDeclaredHost } from '../contracts/model-settings.ts';
import type { ModelEdition } from '../ports/models.ts';

/** Per request: the guard gives a draft 12 s of the resolver's 25; one attempt, no client retries. */
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The OpenAI edition: the real `openai` client (through `@baton/llm-openai`) over Forge's `fetch`,
 * which reaches only the hosts the edition's manifest declares (`OPENAI_EGRESS`). A base URL off
 * those hosts is refused here as well as by the settings contract: Forge would answer it with 403.
 */
export const edition: ModelEdition = {
  name: 'openai',
  providers: ['none', 'forge-llm', 'openai-compatible'],
  egress: [...OPENAI_EGRESS],
  openaiProvider(settings, apiKey) {
    if (!onDeclaredHost(settings.baseURL))
      throw new Error(`openai.baseURL is not on a declared host: ${settings.baseURL}`);
    return createOpenAIProvider(
      {
        apiKey,
        model: settings.model,
        baseURL: settings.baseURL,
        api: settings.api,
        label: 'openai-compatible',
        timeoutMs: REQUEST_TIMEOUT_MS,
        maxRetries: 0,
      },
      // Forge's fetch takes (url | route, init) and answers a Response, which is all the client uses.
      { fetch: forgeFetch as unknown as typeof fetch },
    );
  },
};
