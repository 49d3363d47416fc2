// Public surface of @baton/llm-openai.
export type { OpenAIProviderConfig, OpenAIProviderDeps } from './openai-provider.ts';
export { OpenAIProviderConfigSchema, createOpenAIProvider } from './openai-provider.ts';
export { mapOpenAIError, retryAfterMs } from './map-openai-error.ts';
