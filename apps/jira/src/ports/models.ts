import type { LanguageModel, LanguageModelProvider } from '@baton/core/llm';
import type {
  ModelEditionInfo,
  ModelKeyStatus,
  ModelSettings,
  ModelUsage,
  OpenAISettings,
} from '../contracts/model-settings.ts';

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

/** The language model the admin chose for wording drafts (and classifying, where the charter lets it), its settings and its use. */
export interface AppModels {
  /** Which build answers and which providers it offers (the OpenAI-compatible one only in the OpenAI edition). */
  readonly edition: ModelEditionInfo;
  settings(): Promise<ModelSettings>;
  save(s: ModelSettings): Promise<void>;
  usage(): Promise<ModelUsage>;
  /** Whether an API key is stored; never the key. */
  keyStatus(): Promise<ModelKeyStatus>;
  /** Stores the key in Forge's secret store (write-only from the UI's side). */
  setKey(apiKey: string, by: string): Promise<void>;
  removeKey(): Promise<void>;
  /** The guarded model (budget, cache, audit), or undefined when the admin chose none. */
  wording(): Promise<LanguageModel | undefined>;
}
