import { createRedactor, llmIssue, type LlmIssue } from '@baton/core/llm';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError, OpenAIError } from 'openai';

/** Milliseconds to wait, from `retry-after-ms` (OpenAI's own) or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: Headers | undefined, now: () => number): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms != null && ms !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get('retry-after');
  if (value == null || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}

// Vendor error messages can quote part of a key ("Incorrect API key provided: sk-abc***"): they pass
// through the same redactor as prompts before they reach an issue, a log or an audit line.
const clean = (message: string): string => createRedactor().redact(message).slice(0, 300);

/**
 * Maps whatever the openai client threw to one of the port's typed failures. Programmer errors
 * (a TypeError in our own code) are rethrown: they are bugs, not model failures.
 */
export function mapOpenAIError(error: unknown, now: () => number): LlmIssue {
  if (error instanceof APIConnectionTimeoutError || error instanceof APIUserAbortError) {
    return llmIssue('llm.timeout', 'the model did not answer in time');
  }
  if (error instanceof APIConnectionError) {
    return llmIssue('llm.unavailable', `could not reach the model server: ${clean(error.message)}`);
  }
  if (error instanceof APIError) {
    const status = error.status;
    const message = clean(error.message);
    const extra = status === undefined ? {} : { status };
    if (status === 429) {
      const wait = retryAfterMs(error.headers, now);
      return llmIssue('llm.rate_limited', `rate limited: ${message}`, {
        ...extra,
        ...(wait === undefined ? {} : { retryAfterMs: wait }),
      });
    }
    if (status === 401 || status === 403) return llmIssue('llm.unauthorized', `the key was refused: ${message}`, extra);
    if (status !== undefined && status >= 500)
      return llmIssue('llm.server_error', `the model server failed: ${message}`, extra);
    if (status !== undefined && status >= 400)
      return llmIssue('llm.bad_request', `the request was rejected: ${message}`, extra);
    return llmIssue('llm.unavailable', message, extra);
  }
  if (error instanceof SyntaxError)
    return llmIssue('llm.malformed_output', `the server sent a body that is not JSON: ${clean(error.message)}`);
  if (error instanceof OpenAIError) return llmIssue('llm.unavailable', clean(error.message));
  throw error;
}
