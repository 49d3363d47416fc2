import { storage } from 'wxt/utils/storage';
import * as z from 'zod/mini';

// Which model, if any, may reword Baton's drafts on this device. Kept in storage.local, never in
// sync: the choice depends on the device (a built-in model is there or not) and the user's own API
// key must not travel to other browsers. Only the options page writes it and only the background
// (for the key) and the side panel (for the built-in choice) read it; no content script imports it.

export const MODEL_PROVIDERS = ['none', 'chrome-built-in', 'openai-compatible'] as const;
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** The rep's own OpenAI-compatible endpoint: OpenAI, Azure OpenAI's `/openai/v1`, a local server. */
export const OwnModelSchema = z.object({
  /** Normalised by `parseModelBaseUrl`: https, or http on this machine only; no trailing slash. */
  baseUrl: z.string().check(z.minLength(1), z.maxLength(500)),
  model: z.string().check(z.minLength(1), z.maxLength(200)),
  apiKey: z.string().check(z.minLength(1), z.maxLength(1000)),
});
export type OwnModel = z.infer<typeof OwnModelSchema>;

export const ModelSettingsSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS),
  /** Kept when the rep switches to another provider, so switching back needs no retyping. */
  ownModel: z.nullable(OwnModelSchema),
});
export type ModelSettings = z.infer<typeof ModelSettingsSchema>;

/** Off: nothing but Jira requests leave the browser. */
export const DEFAULT_MODEL_SETTINGS: ModelSettings = { provider: 'none', ownModel: null };

export const modelSettingsItem = storage.defineItem<ModelSettings>('local:model', {
  fallback: DEFAULT_MODEL_SETTINGS,
  version: 1,
});

/** Stored model settings, validated: anything malformed means no model, never a half-configured one. */
export async function readModelSettings(): Promise<ModelSettings> {
  const parsed = ModelSettingsSchema.safeParse(await modelSettingsItem.getValue());
  return parsed.success ? parsed.data : DEFAULT_MODEL_SETTINGS;
}

/** The rep's own model when it is the chosen provider, else null. */
export function ownModelOf(s: ModelSettings): OwnModel | null {
  return s.provider === 'openai-compatible' ? s.ownModel : null;
}

export type BaseUrlIssueCode = 'base-url.invalid' | 'base-url.insecure' | 'base-url.credentials';
export type ParsedBaseUrl =
  | { ok: true; value: { baseUrl: string; origin: string } }
  | { ok: false; issue: { readonly code: BaseUrlIssueCode; readonly message: string } };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks what the rep typed as the provider's base URL. The key travels in a header, so plain http is
 * accepted only for a server on this machine (Ollama, LM Studio, vLLM on localhost).
 */
export function parseModelBaseUrl(input: string): ParsedBaseUrl {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    return {
      ok: false,
      issue: { code: 'base-url.invalid', message: 'The base URL is not a web address, e.g. https://api.openai.com/v1' },
    };
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    return {
      ok: false,
      issue: {
        code: 'base-url.insecure',
        message: 'The base URL must start with https:// (plain http only for a server on this computer).',
      },
    };
  }
  if (u.username !== '' || u.password !== '') {
    return {
      ok: false,
      issue: { code: 'base-url.credentials', message: 'Put the key in the API key field, not in the base URL.' },
    };
  }
  return { ok: true, value: { baseUrl: `${u.origin}${u.pathname.replace(/\/+$/, '')}`, origin: u.origin } };
}
