import { DraftUpdateAnswerSchema, assist, classifyWithLanguageModel, type Evidence } from '@baton/core/llm';
import { defineCommand } from '../command.ts';
import { createCliLanguageModel, LLM_HELP, LLM_OPTIONS } from '../llm/cli-language-model.ts';

// A made-up case with the kinds of text Baton must not send anywhere: an address, a phone number
// and a pasted token. The check shows what the model saw (placeholders) and what came back.
const SAMPLE: readonly Evidence[] = [
  {
    id: 'description',
    source: 'description',
    text: 'CSV export returns HTTP 500 since the 1.24 upgrade; finance cannot close the month.',
  },
  {
    id: 'comment-1',
    source: 'comment',
    text: 'Customer (ana@customer.example, +44 20 7946 0958) says it blocks payroll. Repro token: ghp_0123456789abcdefghijABCDEFGHIJ012345',
  },
  {
    id: 'comment-2',
    source: 'comment',
    text: 'We decided to roll back the export service on Thursday. Bo owns the rollback.',
  },
];
const TEMPLATE = {
  subject: 'Update on OPS-1423',
  body: 'We are working on your request. Current status: In Progress.',
};

export const llmCheckCommand = defineCommand({
  name: 'llm-check',
  summary: 'check a language-model configuration on a made-up case (redaction, answer, fallback)',
  help: `Usage: baton llm-check --llm openai --llm-model <name> [--llm-base-url <url>]

Sends one draft and one classification for a made-up case through the guard rails and prints what
happened: whether the model answered or Baton fell back to its template (and why), what was redacted,
tokens and latency. Exit code 0 when the model answered, 1 when Baton had to fall back.

${LLM_HELP}`,
  options: LLM_OPTIONS,
  async run({ values }, io) {
    const llm = await createCliLanguageModel(values, io.env ?? {}, { cwd: io.cwd });
    if (llm === undefined) {
      io.stdout('No model configured (--llm none): Baton uses its deterministic templates.\n');
      io.stdout(`Draft: ${TEMPLATE.subject} — ${TEMPLATE.body}\n`);
      return 0;
    }
    const draft = await assist(
      llm.model,
      {
        purpose: 'draft-update',
        instructions:
          'Write a two-sentence update for the customer about OPS-1423: what is wrong and what happens next.',
        evidence: SAMPLE,
        schema: DraftUpdateAnswerSchema,
        maxOutputTokens: 300,
        allowedLinks: ['https://example.atlassian.net/browse/OPS-1423'],
      },
      () => TEMPLATE,
    );
    const label = await classifyWithLanguageModel(llm.model, {
      field: 'issuetype',
      labels: ['bug', 'question', 'feature'],
      evidence: SAMPLE,
    });
    const first = llm.audit[0];
    io.stdout(
      [
        `Provider: ${llm.model.name}`,
        first === undefined
          ? ''
          : `Redacted before sending: ${Object.entries(first.redactions)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ')}`,
        draft.source === 'model'
          ? `Draft (model ${draft.model}${draft.cached ? ', cached' : ''}):`
          : `Draft (template; the model's answer was not usable: ${draft.fallback ? draft.reason.map((r) => `${r.code} — ${r.message}`).join('; ') : 'no model'}):`,
        `  ${draft.value.subject}`,
        `  ${draft.value.body.replace(/\n/g, '\n  ')}`,
        label === undefined
          ? 'Classification: none (the model did not give a usable label)'
          : `Classification (model-made, a suggestion at most): ${label.ranked[0]?.label} p=${label.ranked[0]?.probability.toFixed(2)}`,
        ...llm.audit.map(
          (a) =>
            `  ${a.purpose}: ${a.outcome}${a.issues.length > 0 ? ` (${a.issues.join(', ')})` : ''}, ${a.inputTokens}+${a.outputTokens} tokens, ${a.latencyMs} ms`,
        ),
        llm.summary(),
        '',
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n',
    );
    return draft.source === 'model' ? 0 : 1;
  },
});
