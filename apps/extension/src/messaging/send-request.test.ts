import { describe, expect, it } from 'vitest';
import { createSendRequest } from './send-request.ts';

describe('sendRequest', () => {
  it('passes valid data through, typed', async () => {
    const send = createSendRequest(async () => ({ ok: true, data: { linked: 'SUP-1', shared: true } }));
    expect(await send({ type: 'link.set', pageId: 'p', key: 'SUP-1' })).toEqual({
      ok: true,
      data: { linked: 'SUP-1', shared: true },
    });
  });

  it('turns a silent or crashed background into an error envelope', async () => {
    const send = createSendRequest(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    expect(await send({ type: 'jira.ping' })).toMatchObject({
      ok: false,
      error: { code: 'unreachable', message: expect.stringMatching(/Reload the page/) },
    });
  });

  it('rejects answers that do not match the request’s schema', async () => {
    expect(await createSendRequest(async () => undefined)({ type: 'jira.ping' })).toMatchObject({
      ok: false,
      error: { code: 'bad-response' },
    });
    expect(
      await createSendRequest(async () => ({ ok: true, data: { displayName: 7 } }))({ type: 'jira.ping' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'bad-response' },
    });
    expect(
      await createSendRequest(async () => ({ ok: false, error: { code: 'not-found', message: 'gone' } }))({
        type: 'jira.ping',
      }),
    ).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'gone' },
    });
  });
});
