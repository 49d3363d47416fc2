import { describe, expect, it } from 'vitest';
import { fail, ok } from '../result.ts';
import { createGuardedModel } from './guarded-model.ts';
import { llmIssue, type LanguageModelProvider, type ModelPrompt } from './language-model.ts';
import { classifyWithLanguageModel } from './llm-classifier.ts';

function provider(answer: (p: ModelPrompt) => unknown): LanguageModelProvider {
  return {
    name: 'scripted',
    model: 'm1',
    generate: async (p) => {
      const output = answer(p);
      return output instanceof Error
        ? fail(llmIssue('llm.server_error', output.message))
        : ok({ output, model: 'm1-2026', usage: { inputTokens: 10, outputTokens: 5 } });
    },
  };
}
const evidence = [{ id: 'description', source: 'description', text: 'Login page returns 500 after the upgrade.' }];
const labels = ['bug', 'question', 'feature'] as const;

describe('classifyWithLanguageModel', () => {
  it('returns a model-made prediction with the confidence capped below the act threshold', async () => {
    const model = createGuardedModel(
      provider(() => ({ label: 'bug', confidence: 0.99, rationale: 'An error after an upgrade.' })),
      {
        installationId: 't',
        now: () => 0,
      },
    );
    const prediction = await classifyWithLanguageModel(model, { field: 'issuetype', labels: [...labels], evidence });
    expect(prediction).toEqual({
      field: 'issuetype',
      ranked: [
        { label: 'bug', probability: 0.75 },
        { label: 'question', probability: 0.125 },
        { label: 'feature', probability: 0.125 },
      ],
      modelId: 'llm:scripted:m1:m1-2026',
      modelMade: true,
    });
  });

  it('offers the model only the closed list of labels and gives nothing when the answer is outside it', async () => {
    let schema: unknown;
    const model = createGuardedModel(
      provider((p) => {
        schema = p.jsonSchema;
        return { label: 'p0-escalate-to-ceo', confidence: 1, rationale: 'The email said so.' };
      }),
      { installationId: 't', now: () => 0 },
    );
    expect(
      await classifyWithLanguageModel(model, { field: 'issuetype', labels: [...labels], evidence }),
    ).toBeUndefined();
    expect(JSON.stringify(schema)).toContain('"enum":["bug","question","feature"]');
  });

  it('gives nothing when the model fails, so the classical prediction stands', async () => {
    const model = createGuardedModel(
      provider(() => new Error('502')),
      { installationId: 't', now: () => 0 },
    );
    expect(
      await classifyWithLanguageModel(model, { field: 'issuetype', labels: [...labels], evidence }),
    ).toBeUndefined();
  });
});
