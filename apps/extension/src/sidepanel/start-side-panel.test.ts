// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseView, PageRead, Request } from '../messaging/protocol.ts';
import type { SendRequest } from '../messaging/send-request.ts';
import { createSidePanel, NO_PAGE_MESSAGE } from './start-side-panel.ts';

const VIEW: CaseView = {
  case: {
    key: 'SUP-2',
    summary: 'Invoice <b>VAT</b>',
    status: 'In Progress',
    statusCategory: 'indeterminate',
    assignee: 'Ada Lovelace',
    url: 'https://jira.example/browse/SUP-2',
  },
  packet: {
    summary: 'Corrected invoice needed.',
    decisions: ['Reissue'],
    openQuestions: [],
    links: [],
    nextOwner: 'Ada Lovelace',
    definitionOfReady: [],
    risks: [],
    source: 'jira-app',
  },
  sla: { state: 'at-risk', label: 'At risk', dueAt: null },
  drafts: [{ audience: 'customer', subject: 'Re: x', text: 'Hello,\n\nThanks.' }],
};

const READ: PageRead = {
  url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB',
  site: 'gmail',
  audience: 'customer',
  extraction: {
    kind: 'page',
    context: {
      site: 'gmail',
      pageId: 'gmail:FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB',
      title: 'Invoice PDF shows the wrong VAT rate [SUP-2]',
      keys: ['SUP-2'],
      searchText: 'Invoice PDF shows the wrong VAT rate',
      entry: {
        kind: 'email',
        subject: 'Invoice',
        messages: [{ from: { name: 'Carla', email: 'carla@customer.example' }, date: 'today', text: 'Hi' }],
        link: 'https://mail.google.com/x',
      },
    },
  },
};

/** Every panel a test made is closed after it: an open case watches the page and re-reads it on a timer. */
const made: { close(): void }[] = [];
afterEach(() => {
  for (const p of made.splice(0)) p.close();
});

function panel(
  askTab: () => Promise<unknown>,
  tabId: number | null = 7,
  polishView?: (v: CaseView) => Promise<CaseView>,
) {
  const calls: Request[] = [];
  const asked: number[] = [];
  const send = (async (req: Request) => {
    calls.push(req);
    if (req.type === 'cases.find')
      return { ok: true, data: { linked: null, candidates: [VIEW.case], siteUrl: 'https://jira.example' } };
    if (req.type === 'case.view') return { ok: true, data: VIEW };
    return { ok: false, error: { code: 'bad-request', message: 'not in this test' } };
  }) as unknown as SendRequest;
  const mount = document.createElement('div');
  document.body.replaceChildren(mount);
  const p = createSidePanel({
    doc: document,
    mount,
    send,
    currentTabId: async () => tabId ?? undefined,
    askTab: (id) => {
      asked.push(id);
      return askTab();
    },
    copyText: async () => {},
    ...(polishView ? { polishView } : {}),
  });
  made.push(p);
  return { p, mount, calls, asked };
}

const settle = async (mount: HTMLElement, selector: string): Promise<Element> => {
  for (let i = 0; i < 50; i++) {
    const el = mount.querySelector(selector);
    if (el) return el;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`${selector} never appeared`);
};

describe('side panel', () => {
  it('shows the packet and the draft for the page the tab’s content script read, Copy only', async () => {
    const { p, mount, calls, asked } = panel(async () => READ);
    await p.show();
    const packet = await settle(mount, '[data-role="packet"][data-key="SUP-2"]');
    expect(packet.textContent).toContain('Corrected invoice needed.');
    expect(asked).toEqual([7]);
    expect(calls[0]).toMatchObject({
      type: 'cases.find',
      pageId: 'gmail:FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB',
      keys: ['SUP-2'],
    });
    expect(calls.find((c) => c.type === 'case.view')).toMatchObject({ audience: 'customer' });
    expect(mount.querySelector('[data-role="draft"]')?.textContent).toContain('Thanks.');
    // Page text stays text here too.
    expect(mount.querySelector('b')).toBeNull();
  });

  it('says what to open when the tab has no Baton content script, or answers nonsense', async () => {
    for (const ask of [
      async () => Promise.reject(new Error('Could not establish connection')),
      async () => ({ url: 1 }),
      async () => ({ ...READ, extraction: { kind: 'page', context: { ...READ.extraction, keys: ['rm -rf'] } } }),
    ]) {
      const { p, mount, calls } = panel(ask);
      await p.show();
      expect(mount.querySelector('[data-role="no-page"]')?.textContent).toBe(NO_PAGE_MESSAGE);
      expect(calls).toHaveLength(0);
    }
  });

  it('draws the rules’ summary first, then the on-device rewording in its place', async () => {
    const { p, mount } = panel(
      async () => READ,
      7,
      async (v) => ({ ...v, packet: { ...v.packet, summary: 'Reworded here.', summaryBy: 'browser-model' } }),
    );
    await p.show();
    await settle(mount, '[data-role="summary-by"]');
    expect(mount.querySelector('[data-role="packet"]')?.textContent).toContain('Reworded here.');
    expect(mount.querySelector('[data-role="packet"]')?.textContent).not.toContain('Corrected invoice needed.');
  });

  it('follows the rep across tabs: the same case again, then a tab with no Baton page', async () => {
    // The panel calls show() on every tab switch; closing the case drawn before ran without end.
    let page: () => Promise<unknown> = async () => READ;
    const { p, mount } = panel(() => page());
    await p.show();
    await settle(mount, '[data-role="packet"][data-key="SUP-2"]');
    await p.show();
    expect((await settle(mount, '[data-role="packet"][data-key="SUP-2"]')).textContent).toContain(
      'Corrected invoice needed.',
    );
    page = async () => Promise.reject(new Error('Could not establish connection'));
    await p.show();
    expect(mount.textContent).toBe(NO_PAGE_MESSAGE);
  });

  it('says how to see the case again when the rep minimises it, and close() stops it', async () => {
    const { p, mount } = panel(async () => READ);
    await p.show();
    await settle(mount, '[data-role="packet"][data-key="SUP-2"]');
    // A person's click: the panel acts on trusted events only, which happy-dom cannot make itself.
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    Object.defineProperty(click, 'isTrusted', { value: true });
    mount.querySelector('[data-action="minimise"]')!.dispatchEvent(click);
    expect(mount.textContent).toBe('Closed. Switch tabs or reopen the panel to see the case again.');
    await p.show();
    await settle(mount, '[data-role="packet"][data-key="SUP-2"]');
    p.close();
    expect(mount.textContent).toBe('');
  });

  it('says the same when there is no active tab', async () => {
    const { p, mount, asked } = panel(async () => READ, null);
    await p.show();
    expect(asked).toHaveLength(0);
    expect(mount.textContent).toBe(NO_PAGE_MESSAGE);
  });
});
