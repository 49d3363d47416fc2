import { describe, expect, it } from 'vitest';
import { bpicTraces } from '../../test/bpic-fixture.ts';
import { fixtureCase } from '../../test/appcelerator-cases.ts';
import { buildHandoffPacket } from '../agent/clerk/clerk.ts';
import { HandoffPacketSchema } from '../agent/clerk/clerk-packet.ts';
import { meaningfulChanges } from '../agent/concierge/concierge-changes.ts';
import { snapshotCase } from '../model/case-snapshot.ts';
import { draftUpdates } from '../agent/concierge/concierge.ts';
import { createWorkflowResolver } from '../model/workflow.ts';
import { fail, ok } from '../result.ts';
import { parseTimestamp } from '../time/timestamp.ts';
import { createGuardedModel } from './guarded-model.ts';
import { llmIssue, type LanguageModelProvider, type ModelPrompt } from './language-model.ts';
import { rewordAudienceDraft, rewordPacketSummary } from './wording.ts';

function modelAnswering(answer: (p: ModelPrompt) => unknown) {
  const prompts: ModelPrompt[] = [];
  const provider: LanguageModelProvider = {
    name: 'scripted',
    model: 'm',
    generate: async (p) => {
      prompts.push(p);
      const output = answer(p);
      return output === undefined
        ? fail(llmIssue('llm.timeout', 'late'))
        : ok({ output, model: 'm', usage: { inputTokens: 1, outputTokens: 1 } });
    },
  };
  return { model: createGuardedModel(provider, { installationId: 't', now: () => 0 }), prompts };
}

const record = fixtureCase('AC-4682');
const packet = buildHandoffPacket(record, { at: record.events.at(-1)!.at + 1 });

describe('rewordPacketSummary on a real Appcelerator issue', () => {
  it('changes only the summary, marks it model-made, and keeps the packet valid', async () => {
    const { model, prompts } = modelAnswering(() => ({
      summary: 'A clearer summary of the case.',
      evidenceIds: ['packet-summary'],
    }));
    const { packet: out, wording } = await rewordPacketSummary(model, packet);
    expect(out.summary).toEqual({ text: 'A clearer summary of the case.', source: 'model' });
    expect({ ...out, summary: packet.summary }).toEqual(packet);
    expect(HandoffPacketSchema.safeParse(out).success).toBe(true);
    expect(wording.source).toBe('model');
    expect(prompts[0]?.user).toContain(packet.summary.text.slice(0, 40));
  });

  it('drops an invented link from the summary', async () => {
    const { model } = modelAnswering(() => ({ summary: 'Fixed; details at https://evil.example/x.', evidenceIds: [] }));
    const { packet: out } = await rewordPacketSummary(model, packet);
    expect(out.summary.text).toBe('Fixed; details at.');
  });

  it('keeps the rules’ summary when the model fails, and says why', async () => {
    const { model } = modelAnswering(() => undefined);
    const { packet: out, wording } = await rewordPacketSummary(model, packet);
    expect(out).toBe(packet);
    expect(wording).toMatchObject({ source: 'rules', fallback: true, reason: [{ code: 'llm.timeout' }] });
  });
});

describe('rewordAudienceDraft on a real BPIC 2013 incident', () => {
  const t = (s: string) => parseTimestamp(s)!.at;
  const resolve = createWorkflowResolver();
  const trace = bpicTraces().find((c) => c.id === '1-467153946')!;
  const before = snapshotCase(trace, t('2011-01-31T12:59:46+01:00'), resolve);
  const after = snapshotCase(trace, t('2011-01-31T14:37:55+01:00'), resolve);
  const [customer] = draftUpdates({ before, after, changes: meaningfulChanges(before, after) });

  it('rewords subject and body only; audience, customer-facing flag and changes stay as the rules set them', async () => {
    const { model, prompts } = modelAnswering(() => ({
      subject: 'Your request',
      body: 'We need a detail from you to continue.',
    }));
    const result = await rewordAudienceDraft(model, customer!);
    expect(result.value).toEqual({
      ...customer,
      subject: 'Your request',
      body: 'We need a detail from you to continue.',
    });
    expect(result.source).toBe('model');
    // The model saw the template's own text and nothing else from the case.
    expect(prompts[0]?.user).toContain(customer!.body);
    expect((prompts[0]?.user ?? '').split('<<<').length - 1).toBe(1);
  });

  it('drops addresses the model adds, even plausible ones', async () => {
    const { model } = modelAnswering(() => ({
      subject: 'Your request',
      body: 'Reply to support@company.example please.',
    }));
    expect((await rewordAudienceDraft(model, customer!)).value.body).toBe('Reply to please.');
  });

  it('returns the template unchanged without a model', async () => {
    expect(await rewordAudienceDraft(undefined, customer!)).toEqual({
      value: customer,
      source: 'rules',
      fallback: false,
    });
  });
});
