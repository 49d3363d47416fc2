import * as z from 'zod';

/**
 * Which language model words the concierge's drafts. `none` (the default) keeps the rules' text;
 * `forge-llm` asks Atlassian-hosted Claude through `@forge/llm` (no egress: the app stays eligible
 * for "Runs on Atlassian"). A model words drafts only: no decision waits for it or reads it.
 * An OpenAI-compatible provider is not offered in the Forge app: see docs/adr/0012-forge-app-model-choice.md.
 */
export const MODEL_PROVIDERS = ['none', 'forge-llm'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** Forge LLM models the admin may pick; Haiku is the quick, cheap default for wording. */
export const FORGE_LLM_MODELS = ['claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929'] as const;

export const ModelSettingsSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS).default('none'),
  model: z.enum(FORGE_LLM_MODELS).default(FORGE_LLM_MODELS[0]),
  /** Tokens (input + output) this site may spend per UTC day; past it, drafts fall back to the rules' text. */
  dailyTokens: z.number().int().min(1_000).max(10_000_000).default(200_000),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
export const DEFAULT_MODEL_SETTINGS: ModelSettings = ModelSettingsSchema.parse({});

/** What the admin page shows about the model's use: counts only, never prompt or answer text. */
export const ModelUsageSchema = z.object({
  tokensToday: z.number().int(),
  /** Calls by outcome: `ok`, `cache_hit`, or the failure code that sent the draft back to the rules. */
  outcomes: z.record(z.string(), z.number().int()),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;
