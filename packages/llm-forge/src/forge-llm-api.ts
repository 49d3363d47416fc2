import { chat } from '@forge/llm';
import type { ForgeLlmApi } from './forge-llm-provider.ts';

/**
 * `@forge/llm` bound to the provider's port. Import this only inside the Forge runtime: the SDK
 * looks up the runtime's tracing context when it loads.
 */
export const forgeLlmApi: ForgeLlmApi = {
  chat: (prompt) => chat(prompt),
};
