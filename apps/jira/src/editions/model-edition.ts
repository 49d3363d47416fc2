import type { LanguageModelProvider } from '@baton/core/llm';
import type { ModelEditionInfo, OpenAISettings } from '../contracts/model-settings.ts';

/**
 * What a build of the app can offer the admin as a model. The default build offers none and Forge
 * LLM and bundles no third-party client; the OpenAI edition (`pnpm --filter jira edition:openai`,
 * which swaps `src/edition.ts`) adds the OpenAI-compatible provider, reached through Forge's fetch
 * to the hosts its manifest declares.
 */
export interface ModelEdition extends ModelEditionInfo {
  /** The OpenAI-compatible provider with the stored key; only the OpenAI edition has one. */
  readonly openaiProvider?: (settings: OpenAISettings, apiKey: string) => LanguageModelProvider;
}
