import { describe, expect, it } from 'vitest';
import type { CaseView, Request } from '../messaging/protocol.ts';
import type { SendRequest } from '../messaging/send-request.ts';
import { wordInBackground } from './word-in-background.ts';

const VIEW: CaseView = {
  case: {
    key: 'SUP-2',
    summary: 'Invoice',
    status: 'In Progress',
    statusCategory: 'indeterminate',
    assignee: null,
    url: 'https://jira.example/browse/SUP-2',
  },
  packet: {
    summary: 'Rules summary.',
    decisions: [],
    openQuestions: [],
    links: [],
    nextOwner: null,
    definitionOfReady: [],
    risks: [],
    source: 'browser',
  },
  sla: null,
  drafts: [{ audience: 'customer', subject: 'Re: Invoice', text: 'Rules draft.' }],
};
const PENDING: CaseView = {
  ...VIEW,
  packet: { ...VIEW.packet, summaryWording: { by: 'pending' } },
  drafts: [{ ...VIEW.drafts[0]!, wording: { by: 'pending' } }],
};
const WORDED: CaseView = {
  ...VIEW,
  drafts: [{ ...VIEW.drafts[0]!, text: 'Model draft.', wording: { by: 'model', model: 'm' } }],
};

function sendAnswering(answer: unknown): { send: SendRequest; calls: Request[] } {
  const calls: Request[] = [];
  const send = (async (req: Request) => {
    calls.push(req);
    return answer;
  }) as unknown as SendRequest;
  return { send, calls };
}

describe('wordInBackground', () => {
  it('asks the background for the reworded view when the view waits for the model', async () => {
    const { send, calls } = sendAnswering({ ok: true, data: WORDED });
    expect(await wordInBackground(PENDING, send)).toBe(WORDED);
    expect(calls).toEqual([{ type: 'case.word', key: 'SUP-2', audience: 'customer' }]);
  });

  it('asks nothing when no model is on', async () => {
    const { send, calls } = sendAnswering({ ok: true, data: WORDED });
    expect(await wordInBackground(VIEW, send)).toBe(VIEW);
    expect(calls).toEqual([]);
  });

  it('keeps the rules’ text and says why when the background fails', async () => {
    const { send } = sendAnswering({ ok: false, error: { code: 'unreachable', message: 'Jira did not answer.' } });
    const v = await wordInBackground(PENDING, send);
    expect(v.drafts[0]).toEqual({
      ...VIEW.drafts[0],
      wording: { by: 'rules', reason: 'Worded by the rules: Jira did not answer.' },
    });
    expect(v.packet.summaryWording).toEqual({ by: 'rules', reason: 'Worded by the rules: Jira did not answer.' });
  });
});
