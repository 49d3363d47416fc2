// Public surface of @baton/llm-forge. The binding to the real SDK is `@baton/llm-forge/forge`.
export type { ForgeLlmApi, ForgeChatPrompt, ForgeLlmProviderConfig } from './forge-llm-provider.ts';
export { ForgeLlmProviderConfigSchema, createForgeLlmProvider, mapForgeLlmError } from './forge-llm-provider.ts';
