import type { LanguageModel } from '@baton/core/llm';
import type { JiraClient } from '@baton/jira';
import type { ModelEditionInfo, ModelKeyStatus, ModelSettings, ModelUsage } from '../contracts/model-settings.ts';
import type { BatonStorage } from '../platform/baton-storage.ts';
import type { WorkQueue } from '../platform/work-queue.ts';
import type { ChatAdmin, ChatConnector } from './chat.ts';

/** What the app's logic needs from the platform; handlers build it, tests build it over the harness. */
export interface AppDeps {
  /** Jira as the app (`asApp()`). */
  jira: JiraClient;
  storage: BatonStorage;
  queue: WorkQueue;
  now: () => number;
  /** Milliseconds left in this invocation (Forge: 25 s for triggers, 900 s for the consumer). */
  remainingMs: () => number;
  /**
   * The admin's model choice. Wording asks for it, and the router's classification where the charter's
   * `routing.modelClassify` lets a model classify (`model-classify.ts`; its proposals are suggestions only).
   */
  models: AppModels;
  /** A connected chat workspace (the Slack edition; `src/chat-edition.ts`), or none: Baton then speaks in Jira only. */
  chat?: ChatConnector;
  /** The admin page's view of that workspace (the Slack edition), or none. */
  chatAdmin?: ChatAdmin;
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
