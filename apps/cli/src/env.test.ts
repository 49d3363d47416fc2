import { describe, expect, it } from 'vitest';
import { readEnv } from './env.ts';

describe('readEnv', () => {
  it('keeps the variables it knows, treats blank as unset and ignores the rest', () => {
    const r = readEnv({ OPENAI_API_KEY: ' sk-test-123 ', BATON_LLM: 'openai', BATON_LLM_MODEL: '', HOME: '/root' });
    expect(r).toEqual({ ok: true, env: { OPENAI_API_KEY: 'sk-test-123', BATON_LLM: 'openai' } });
  });

  it('names an invalid variable without echoing its value', () => {
    const r = readEnv({ BATON_LLM: 'anthropic', BATON_LLM_BASE_URL: 'sk-not-a-url-secret' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toBe('invalid environment variable(s): BATON_LLM, BATON_LLM_BASE_URL');
      expect(r.message).not.toContain('sk-not-a-url-secret');
    }
  });
});
