import { fail, formatIssue, fromZodIssues, ok, type Result } from '@baton/core';
import {
  llmIssue,
  type LanguageModelProvider,
  type LlmIssue,
  type ModelOutput,
  type ModelPrompt,
} from '@baton/core/llm';
import OpenAI from 'openai';
import * as z from 'zod';
import { mapOpenAIError } from './map-openai-error.ts';

/**
 * Configuration for the OpenAI provider. `baseURL` points it at Azure OpenAI (the `/openai/v1/`
 * endpoint) or any OpenAI-compatible server (vLLM, Ollama, LM Studio, a local test server).
 */
export const OpenAIProviderConfigSchema = z.object({
  apiKey: z.string().min(1),
  model: z.string().min(1),
  baseURL: z.url().default('https://api.openai.com/v1'),
  /** `chat` (chat completions; what most compatible servers speak) or `responses` (the Responses API). */
  api: z.enum(['chat', 'responses']).default('chat'),
  /** Per request, milliseconds. Forge invocations have 25 s in all; keep well under that there. */
  timeoutMs: z.number().int().positive().default(20_000),
  /** Retries on connection errors, 408/409/429 and 5xx, with the client's backoff and Retry-After. */
  maxRetries: z.number().int().min(0).max(10).default(1),
  temperature: z.number().min(0).max(2).optional(),
  /** Shown in the audit: `openai`, `azure-openai`, `local`. */
  label: z.string().min(1).default('openai'),
  organization: z.string().optional(),
  project: z.string().optional(),
  /** Extra headers (e.g. Azure's `api-key`) and query parameters (e.g. `api-version`). */
  defaultHeaders: z.record(z.string(), z.string()).optional(),
  defaultQuery: z.record(z.string(), z.string()).optional(),
  /**
   * The client refuses to run in a page or a browser worker, to keep keys out of web bundles. A
   * browser extension's background (Chrome's service worker, Firefox's event page) that holds the
   * user's own key in extension storage sets this: no page and no content script can reach it.
   */
  dangerouslyAllowBrowser: z.boolean().default(false),
});
export type OpenAIProviderConfig = z.input<typeof OpenAIProviderConfigSchema>;

export interface OpenAIProviderDeps {
  /** Replaces the global fetch (tests, proxies). */
  readonly fetch?: typeof fetch;
  /** For Retry-After dates. Defaults to the system clock. */
  readonly now?: () => number;
}

const ChatCompletionShape = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        finish_reason: z.string().nullable().optional(),
        message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullable().optional(),
});

const ResponseShape = z.object({
  model: z.string().optional(),
  status: z.string().optional(),
  error: z.object({ code: z.string().nullable().optional(), message: z.string() }).nullable().optional(),
  incomplete_details: z.object({ reason: z.string().nullable().optional() }).nullable().optional(),
  output: z.array(
    z.looseObject({
      type: z.string(),
      content: z
        .array(z.looseObject({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() }))
        .optional(),
    }),
  ),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullable().optional(),
});

function parseJsonAnswer(
  text: string | null | undefined,
  model: string,
  usage: ModelOutput['usage'],
): Result<ModelOutput, LlmIssue> {
  if (text == null || text.trim() === '') return fail(llmIssue('llm.malformed_output', 'the answer was empty'));
  try {
    return ok({ output: JSON.parse(text) as unknown, model, usage });
  } catch {
    return fail(llmIssue('llm.malformed_output', 'the answer is not valid JSON'));
  }
}

function shapeIssue(error: z.ZodError): LlmIssue {
  const first = fromZodIssues(error.issues)[0];
  return llmIssue(
    'llm.malformed_output',
    `the server's reply is not in the OpenAI format: ${first === undefined ? 'unknown' : formatIssue(first)}`,
  );
}

/**
 * A `LanguageModelProvider` over the official `openai` client. Structured outputs come from the
 * prompt's JSON Schema (converted from zod in core); every failure is mapped to a typed issue.
 */
export function createOpenAIProvider(
  config: OpenAIProviderConfig,
  deps: OpenAIProviderDeps = {},
): LanguageModelProvider {
  const c = OpenAIProviderConfigSchema.parse(config);
  const now = deps.now ?? (() => Date.now());
  // Every option is explicit so that the client never falls back to OPENAI_* environment variables:
  // configuration is read in one validated place per app.
  const client = new OpenAI({
    apiKey: c.apiKey,
    baseURL: c.baseURL,
    organization: c.organization ?? null,
    project: c.project ?? null,
    timeout: c.timeoutMs,
    maxRetries: c.maxRetries,
    logLevel: 'off',
    dangerouslyAllowBrowser: c.dangerouslyAllowBrowser,
    ...(c.defaultHeaders === undefined ? {} : { defaultHeaders: c.defaultHeaders }),
    ...(c.defaultQuery === undefined ? {} : { defaultQuery: c.defaultQuery }),
    ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
  });

  const viaChat = async (prompt: ModelPrompt): Promise<Result<ModelOutput, LlmIssue>> => {
    const raw: unknown = await client.chat.completions.create({
      model: c.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: prompt.schemaName, schema: prompt.jsonSchema, strict: prompt.strictSchema },
      },
      max_completion_tokens: prompt.maxOutputTokens,
      ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    });
    const parsed = ChatCompletionShape.safeParse(raw);
    if (!parsed.success) return fail(shapeIssue(parsed.error));
    const choice = parsed.data.choices[0]!;
    const usage = {
      inputTokens: parsed.data.usage?.prompt_tokens ?? 0,
      outputTokens: parsed.data.usage?.completion_tokens ?? 0,
    };
    if (choice.message.refusal != null && choice.message.refusal !== '') {
      return fail(llmIssue('llm.refused', 'the model refused to answer'));
    }
    if (choice.finish_reason === 'length') return fail(llmIssue('llm.truncated', 'the answer hit its token limit'));
    if (choice.finish_reason === 'content_filter')
      return fail(llmIssue('llm.refused', 'the content filter stopped the answer'));
    return parseJsonAnswer(choice.message.content, parsed.data.model ?? c.model, usage);
  };

  const viaResponses = async (prompt: ModelPrompt): Promise<Result<ModelOutput, LlmIssue>> => {
    const raw: unknown = await client.responses.create({
      model: c.model,
      instructions: prompt.system,
      input: [{ role: 'user', content: prompt.user }],
      text: {
        format: {
          type: 'json_schema',
          name: prompt.schemaName,
          schema: prompt.jsonSchema,
          strict: prompt.strictSchema,
        },
      },
      max_output_tokens: prompt.maxOutputTokens,
      // Ticket and email text is not kept on the vendor's side for later retrieval.
      store: false,
      ...(c.temperature === undefined ? {} : { temperature: c.temperature }),
    });
    const parsed = ResponseShape.safeParse(raw);
    if (!parsed.success) return fail(shapeIssue(parsed.error));
    const r = parsed.data;
    const usage = { inputTokens: r.usage?.input_tokens ?? 0, outputTokens: r.usage?.output_tokens ?? 0 };
    if (r.status === 'failed')
      return fail(llmIssue('llm.server_error', `the response failed: ${r.error?.code ?? 'unknown'}`));
    if (r.status === 'incomplete') {
      return r.incomplete_details?.reason === 'content_filter'
        ? fail(llmIssue('llm.refused', 'the content filter stopped the answer'))
        : fail(llmIssue('llm.truncated', 'the answer hit its token limit'));
    }
    const parts = r.output.filter((o) => o.type === 'message').flatMap((o) => o.content ?? []);
    if (parts.some((p) => p.type === 'refusal')) return fail(llmIssue('llm.refused', 'the model refused to answer'));
    const text = parts
      .filter((p) => p.type === 'output_text')
      .map((p) => p.text ?? '')
      .join('');
    return parseJsonAnswer(text, r.model ?? c.model, usage);
  };

  return {
    name: c.label,
    model: c.model,
    generate: async (prompt) => {
      try {
        return await (c.api === 'chat' ? viaChat(prompt) : viaResponses(prompt));
      } catch (error) {
        return fail(mapOpenAIError(error, now));
      }
    },
  };
}
