import * as z from 'zod';

/**
 * Which language model words the concierge's drafts. `none` (the default) keeps the rules' text;
 * `forge-llm` asks Atlassian-hosted Claude through `@forge/llm` (no egress: the app stays eligible
 * for "Runs on Atlassian"); `openai-compatible` asks OpenAI or Azure OpenAI, and exists only in the
 * OpenAI edition, whose manifest declares egress to `OPENAI_EGRESS` (docs/adr/0016-forge-openai-edition.md).
 * A model words drafts only: no decision waits for it or reads it.
 */
export const MODEL_PROVIDERS = ['none', 'forge-llm', 'openai-compatible'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** Forge LLM models the admin may pick; Haiku is the quick, cheap default for wording. */
export const FORGE_LLM_MODELS = ['claude-haiku-4-5-20251001', 'claude-sonnet-4-5-20250929'] as const;

/**
 * The hosts the OpenAI edition's manifest declares under `permissions.external.fetch.backend` (the
 * edition script writes them from this list) and the only hosts an admin's base URL may name. Forge
 * matches backend egress on protocol and host (a path is ignored) and a wildcard never covers its
 * parent: `*.openai.azure.com` allows `<resource>.openai.azure.com`, not `openai.azure.com`.
 */
export const OPENAI_EGRESS = ['https://api.openai.com', 'https://*.openai.azure.com'] as const;

/** Whether Forge would let the OpenAI edition fetch `url`: https and a host `OPENAI_EGRESS` declares. */
export function onDeclaredHost(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.port !== '' || u.username !== '' || u.password !== '') return false;
  return OPENAI_EGRESS.some((declared) => {
    const host = declared.replace(/^https:\/\//, '');
    return host.startsWith('*.')
      ? u.hostname.endsWith(host.slice(1)) && u.hostname.length > host.length - 1
      : u.hostname === host;
  });
}

const DECLARED = OPENAI_EGRESS.map((d) => d.replace(/^https:\/\//, '')).join(', ');

/** The OpenAI-compatible provider's settings. The API key is not here: it lives in Forge's secret store. */
export const OpenAISettingsSchema = z.object({
  baseURL: z
    .string()
    .trim()
    .max(500)
    .refine(onDeclaredHost, {
      message: `must be an https URL on a host this edition declares (${DECLARED}), e.g. https://api.openai.com/v1 or https://<resource>.openai.azure.com/openai/v1`,
    }),
  model: z.string().trim().min(1, 'name the model, e.g. gpt-4o-mini or your Azure deployment').max(100),
  /** `chat` (chat completions, what Azure and most compatible servers speak) or `responses`. */
  api: z.enum(['chat', 'responses']).default('chat'),
});
export type OpenAISettings = z.infer<typeof OpenAISettingsSchema>;

export const ModelSettingsSchema = z
  .object({
    provider: z.enum(MODEL_PROVIDERS).default('none'),
    model: z.enum(FORGE_LLM_MODELS).default(FORGE_LLM_MODELS[0]),
    /** Tokens (input + output) this site may spend per UTC day; past it, drafts fall back to the rules' text. */
    dailyTokens: z.number().int().min(1_000).max(10_000_000).default(200_000),
    openai: OpenAISettingsSchema.optional(),
  })
  .refine((s) => s.provider !== 'openai-compatible' || s.openai !== undefined, {
    message: 'the OpenAI-compatible provider needs a base URL and a model',
    path: ['openai'],
  });
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;
export const DEFAULT_MODEL_SETTINGS: ModelSettings = ModelSettingsSchema.parse({});

/** Whether an API key is stored (and since when). The key itself never leaves the backend. */
export const ModelKeyStatusSchema = z.object({ set: z.boolean(), setAt: z.number().int().optional() });
export type ModelKeyStatus = z.infer<typeof ModelKeyStatusSchema>;

/** The key as an admin types it, write-only. Messages never quote it. */
export const ApiKeySchema = z
  .string()
  .trim()
  .min(8, 'too short for an API key')
  .max(512, 'too long for an API key')
  .regex(/^\S+$/, 'an API key has no spaces');

/** Which build of the app answers: the default (no egress) or the OpenAI edition, and what it offers. */
export const ModelEditionSchema = z.object({
  name: z.enum(['default', 'openai']),
  providers: z.array(z.enum(MODEL_PROVIDERS)),
  /** The hosts its manifest declares for backend fetch (none in the default edition). */
  egress: z.array(z.string()),
});
export type ModelEditionInfo = z.infer<typeof ModelEditionSchema>;

/** What the admin page shows about the model's use: counts only, never prompt or answer text. */
export const ModelUsageSchema = z.object({
  tokensToday: z.number().int(),
  /** Calls by outcome: `ok`, `cache_hit`, or the failure code that sent the draft back to the rules. */
  outcomes: z.record(z.string(), z.number().int()),
});
export type ModelUsage = z.infer<typeof ModelUsageSchema>;
