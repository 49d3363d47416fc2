import { fail, ok, type Result } from '@baton/core';
import {
  createRedactor,
  llmIssue,
  type LanguageModelProvider,
  type LlmIssue,
  type ModelOutput,
  type ModelPrompt,
} from '@baton/core/llm';
import * as z from 'zod';

/**
 * The slice of `@forge/llm` this provider uses, typed structurally so that the provider can be
 * built (and tested) without the Forge runtime; `./forge-llm-api.ts` binds the real SDK.
 */
export interface ForgeLlmApi {
  chat(prompt: ForgeChatPrompt): Promise<unknown>;
}

export interface ForgeChatPrompt {
  model: string;
  messages: { role: 'system' | 'user'; content: { type: 'text'; text: string }[] }[];
  max_completion_tokens?: number;
  temperature?: number;
  tools?: { type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
  tool_choice?: { type: 'function'; function: { name: string } };
}

export const ForgeLlmProviderConfigSchema = z.object({
  /** A model from `list()`; Haiku is the quick, cheap default for wording. */
  model: z.string().min(1).default('claude-haiku-4-5-20251001'),
  temperature: z.number().min(0).max(1).optional(),
});
export type ForgeLlmProviderConfig = z.input<typeof ForgeLlmProviderConfigSchema>;

const ContentSchema = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]);
const ChatResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable().optional(),
        message: z.looseObject({
          content: ContentSchema.nullable().optional(),
          tool_calls: z
            .array(
              z.looseObject({
                function: z.object({
                  name: z.string(),
                  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
                }),
              }),
            )
            .optional(),
        }),
      }),
    )
    .min(1),
  usage: z.object({ input_tokens: z.number().optional(), output_tokens: z.number().optional() }).nullable().optional(),
});

const clean = (message: string): string => createRedactor().redact(message).slice(0, 300);

/** Maps `ForgeLlmAPIError` (status), `PromptValidationError` and anything else thrown by `@forge/llm`. */
export function mapForgeLlmError(error: unknown): LlmIssue {
  const e = error as { name?: unknown; status?: unknown; message?: unknown; code?: unknown };
  const message = clean(typeof e?.message === 'string' ? e.message : String(error));
  if (e?.name === 'PromptValidationError')
    return llmIssue('llm.bad_request', `Forge LLM rejected the prompt: ${message}`);
  if (typeof e?.status === 'number') {
    const status = e.status;
    if (status === 429) return llmIssue('llm.rate_limited', `Forge LLM rate limit: ${message}`, { status });
    if (status === 408 || status === 504) return llmIssue('llm.timeout', `Forge LLM timed out: ${message}`, { status });
    if (status === 401 || status === 403)
      return llmIssue(
        'llm.unauthorized',
        `Forge LLM refused the app (is the llm module in the manifest?): ${message}`,
        { status },
      );
    if (status >= 500) return llmIssue('llm.server_error', `Forge LLM failed: ${message}`, { status });
    if (status >= 400) return llmIssue('llm.bad_request', `Forge LLM rejected the request: ${message}`, { status });
  }
  return llmIssue('llm.unavailable', `Forge LLM is unavailable: ${message}`);
}

function textOf(content: z.infer<typeof ContentSchema> | null | undefined): string {
  if (content == null) return '';
  return typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('');
}

/**
 * Forge LLMs have no JSON-schema response format, so the answer is requested as a call to one
 * forced tool whose parameters are the answer's schema; a plain JSON text answer is accepted too.
 */
export function createForgeLlmProvider(config: ForgeLlmProviderConfig, api: ForgeLlmApi): LanguageModelProvider {
  const c = ForgeLlmProviderConfigSchema.parse(config);

  const toPrompt = (prompt: ModelPrompt): ForgeChatPrompt => ({
    model: c.model,
    messages: [
      { role: 'system', content: [{ type: 'text', text: prompt.system }] },
      { role: 'user', content: [{ type: 'text', text: prompt.user }] },
    ],
    max_completion_tokens: prompt.maxOutputTokens,
    ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    tools: [
      {
        type: 'function',
        function: {
          name: prompt.schemaName,
          description: `Return the ${prompt.purpose} answer.`,
          parameters: prompt.jsonSchema,
        },
      },
    ],
    tool_choice: { type: 'function', function: { name: prompt.schemaName } },
  });

  const read = (raw: unknown, prompt: ModelPrompt): Result<ModelOutput, LlmIssue> => {
    const parsed = ChatResponseSchema.safeParse(raw);
    if (!parsed.success)
      return fail(llmIssue('llm.malformed_output', 'the Forge LLM reply is not in the expected format'));
    const choice = parsed.data.choices[0]!;
    const usage = {
      inputTokens: parsed.data.usage?.input_tokens ?? 0,
      outputTokens: parsed.data.usage?.output_tokens ?? 0,
    };
    const reason = choice.finish_reason ?? '';
    if (reason === 'refusal') return fail(llmIssue('llm.refused', 'the model refused to answer'));
    if (reason === 'max_tokens' || reason === 'length')
      return fail(llmIssue('llm.truncated', 'the answer hit its token limit'));
    const call = choice.message.tool_calls?.find((t) => t.function.name === prompt.schemaName);
    try {
      if (call !== undefined) {
        const args = call.function.arguments;
        return ok({ output: typeof args === 'string' ? (JSON.parse(args) as unknown) : args, model: c.model, usage });
      }
      const text = textOf(choice.message.content).trim();
      if (text === '') return fail(llmIssue('llm.malformed_output', 'the answer was empty'));
      return ok({ output: JSON.parse(text) as unknown, model: c.model, usage });
    } catch {
      return fail(llmIssue('llm.malformed_output', 'the answer is not valid JSON'));
    }
  };

  return {
    name: 'forge-llm',
    model: c.model,
    generate: async (prompt) => {
      try {
        return read(await api.chat(toPrompt(prompt)), prompt);
      } catch (error) {
        return fail(mapForgeLlmError(error));
      }
    },
  };
}
