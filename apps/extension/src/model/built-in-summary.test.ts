import { describe, expect, it } from 'vitest';
import type { CaseView } from '../messaging/protocol.ts';
import { builtInSummarizer, summariseWithBuiltIn } from './built-in-summary.ts';
import type { SummarizerApi } from './built-in-summary.ts';

const VIEW: CaseView = {
  case: {
    key: 'SUP-2',
    summary: 'Invoice',
    status: 'In Progress',
    statusCategory: 'indeterminate',
    assignee: 'Ada Lovelace',
    url: 'https://jira.example/browse/SUP-2',
  },
  packet: {
    summary: 'Customer needs a corrected October invoice: the PDF used 19% VAT instead of 7%.',
    decisions: ['Reissue the invoice rather than issue a credit note'],
    openQuestions: ['Does the reduced rate apply to the add-on licences too?'],
    links: [],
    nextOwner: 'Ada Lovelace',
    definitionOfReady: [],
    risks: [],
    source: 'jira-app',
  },
  sla: null,
  drafts: [],
};

/** A stand-in for Chrome's `Summarizer` global with the same calls. */
function fake(availability: string, answer: (text: string) => Promise<string>) {
  const seen: { created: object[]; inputs: string[]; destroyed: number } = { created: [], inputs: [], destroyed: 0 };
  const api: SummarizerApi = {
    availability: async () => availability,
    create: async (options = {}) => {
      seen.created.push(options);
      return {
        summarize: async (text) => {
          seen.inputs.push(text);
          return answer(text);
        },
        destroy: () => void seen.destroyed++,
      };
    },
  };
  return { api, seen };
}

describe('summariseWithBuiltIn', () => {
  it('rewords the packet summary on the device when the Summarizer is available, and says so', async () => {
    const { api, seen } = fake(
      'available',
      async () => '  VAT was wrong on the October invoice; it will be reissued.  ',
    );
    const v = await summariseWithBuiltIn(VIEW, api);
    expect(v.packet.summary).toBe('VAT was wrong on the October invoice; it will be reissued.');
    expect(v.packet.summaryBy).toBe('browser-model');
    // Everything else is the rules' own.
    expect({ ...v.packet, summary: VIEW.packet.summary, summaryBy: undefined }).toEqual({
      ...VIEW.packet,
      summaryBy: undefined,
    });
    expect(seen.inputs[0]).toContain('Decision: Reissue the invoice');
    expect(seen.destroyed).toBe(1);
  });

  it('keeps the deterministic summary when the model is absent, not downloaded, fails, or says nothing useful', async () => {
    expect(await summariseWithBuiltIn(VIEW, undefined)).toBe(VIEW);
    for (const availability of ['unavailable', 'downloadable', 'downloading']) {
      const { api, seen } = fake(availability, async () => 'x');
      expect(await summariseWithBuiltIn(VIEW, api)).toBe(VIEW);
      expect(seen.created).toHaveLength(0);
    }
    for (const answer of [
      async () => Promise.reject(new Error('NotAllowedError')),
      async () => '   ',
      async () => 'x'.repeat(5_000),
    ]) {
      const { api } = fake('available', answer);
      expect(await summariseWithBuiltIn(VIEW, api)).toBe(VIEW);
    }
  });
});

describe('builtInSummarizer', () => {
  it('finds the global only where it has the Summarizer calls', () => {
    const { api } = fake('available', async () => 'x');
    expect(builtInSummarizer({ Summarizer: api })).toBe(api);
    expect(builtInSummarizer({})).toBeUndefined();
    expect(builtInSummarizer({ Summarizer: { availability: 1 } })).toBeUndefined();
  });
});
