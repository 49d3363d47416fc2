import { describe, expect, it } from 'vitest';
import { fixtureCase } from '../../test/appcelerator-cases.ts';
import type { Charter } from '../charter/charter-schema.ts';
import { parseCharter } from '../charter/parse-charter.ts';
import { createRuleClassifier } from '../agent/router/router.ts';
import type { CaseRecord } from '../model/case.ts';
import { fail, ok } from '../result.ts';
import { classifyCasesWithLanguageModel, createModelAssistedClassifier, creationEvidence } from './classify-cases.ts';
import { createGuardedModel } from './guarded-model.ts';
import { llmIssue, type LanguageModelProvider, type ModelPrompt } from './language-model.ts';

function charter(modelClassify: unknown): Charter {
  const r = parseCharter({
    version: 2,
    routing: {
      classify: [
        { field: 'components', label: 'iOS', keywords: ['iOS', 'Xcode'] },
        { field: 'components', label: 'Android', keywords: ['Android', 'Gradle'] },
      ],
      modelClassify,
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

function provider(answer: (p: ModelPrompt) => unknown): { provider: LanguageModelProvider; prompts: ModelPrompt[] } {
  const prompts: ModelPrompt[] = [];
  return {
    prompts,
    provider: {
      name: 'scripted',
      model: 'm1',
      generate: async (p) => {
        prompts.push(p);
        const output = answer(p);
        return output instanceof Error
          ? fail(llmIssue('llm.server_error', output.message))
          : ok({ output, model: 'm1-2026', usage: { inputTokens: 10, outputTokens: 5 } });
      },
    },
  };
}

// A case as created: title and description that were edited later, components empty then.
const edited = (): CaseRecord => {
  const base = fixtureCase('TIMOB-18064');
  const at = base.events[0]!.at;
  return {
    ...base,
    id: 'T-1',
    title: 'Gradle build fails on Android',
    description: 'Edited later: it is an Android problem.',
    attributes: { ...base.attributes, components: ['Android'] },
    events: [
      { caseId: 'T-1', at, offsetMinutes: 0, kind: 'created' },
      {
        caseId: 'T-1',
        at: at + 1000,
        offsetMinutes: 0,
        kind: 'field',
        field: 'summary',
        from: 'App crashes on launch',
        to: 'Gradle build fails on Android',
      },
      {
        caseId: 'T-1',
        at: at + 2000,
        offsetMinutes: 0,
        kind: 'field',
        field: 'description',
        from: 'Crashes in the simulator since the upgrade.',
        to: 'Edited later: it is an Android problem.',
      },
      { caseId: 'T-1', at: at + 3000, offsetMinutes: 0, kind: 'field', field: 'components', from: null, to: 'Android' },
    ],
  };
};

describe('classifyCasesWithLanguageModel', () => {
  it('asks nothing when the charter does not let a model classify', async () => {
    const p = provider(() => ({ label: 'iOS', confidence: 0.9, rationale: 'r' }));
    const result = await classifyCasesWithLanguageModel(
      createGuardedModel(p.provider, { installationId: 't', now: () => 0 }),
      [edited()],
      charter(undefined),
    );
    expect(p.prompts).toEqual([]);
    expect(result.summary).toMatchObject({ asked: 0, answered: 0, fellBack: 0, fields: [] });
  });

  it('reads only the text known at creation and offers only the rules’ labels; a filled field is not asked', async () => {
    const p = provider(() => ({ label: 'iOS', confidence: 0.99, rationale: 'simulator' }));
    const model = createGuardedModel(p.provider, { installationId: 't', now: () => 0 });
    const filled: CaseRecord = {
      ...fixtureCase('TIMOB-18064'),
      id: 'T-2',
      attributes: { components: ['iOS'] },
      events: [],
    };
    const result = await classifyCasesWithLanguageModel(
      model,
      [edited(), filled],
      charter({ enabled: true, fields: ['components'] }),
    );
    expect(p.prompts).toHaveLength(1);
    expect(p.prompts[0]!.user).toContain('App crashes on launch');
    expect(p.prompts[0]!.user).toContain('Crashes in the simulator');
    expect(p.prompts[0]!.user).not.toContain('Edited later');
    expect(JSON.stringify(p.prompts[0]!.jsonSchema)).toContain('"enum":["iOS","Android"]');
    expect(result.summary).toMatchObject({ asked: 1, answered: 1, fellBack: 0 });
    const [prediction] = result.predictions.get('T-1')!;
    // Capped below the default act line (0.9) and the model cap (0.75), and marked.
    expect(prediction).toMatchObject({ field: 'components', modelMade: true, modelId: `llm:${model.name}` });
    expect(prediction!.ranked[0]).toEqual({ label: 'iOS', probability: 0.75 });
    expect(model.name).toContain('m1');
  });

  it('counts a failed call as a fallback; the keyword rules classify that case', async () => {
    const p = provider(() => new Error('upstream 500'));
    const c = charter({ enabled: true, fields: ['components'] });
    const result = await classifyCasesWithLanguageModel(
      createGuardedModel(p.provider, { installationId: 't', now: () => 0 }),
      [edited()],
      c,
    );
    expect(result.summary).toMatchObject({ asked: 1, answered: 0, fellBack: 1, reasons: { 'llm.server_error': 1 } });
    const assisted = createModelAssistedClassifier(createRuleClassifier(c), result.predictions);
    const [rules] = assisted.classify(edited());
    expect(rules).toMatchObject({ field: 'components', modelId: 'charter-rules' });
    expect(rules!.modelMade).toBeUndefined();
  });

  it('puts the model’s prediction in front of the rules for the fields it answered', () => {
    const c = charter({ enabled: true, fields: ['components'] });
    const byModel = {
      field: 'components',
      ranked: [{ label: 'iOS', probability: 0.7 }],
      modelId: 'llm:x',
      modelMade: true,
    } as const;
    const assisted = createModelAssistedClassifier(createRuleClassifier(c), new Map([['T-1', [byModel]]]));
    expect(assisted.classify(edited())).toEqual([byModel]);
    expect(creationEvidence(edited()).map((e) => e.id)).toEqual(['title', 'description']);
  });
});
