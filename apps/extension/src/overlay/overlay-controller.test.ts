// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../../test/load-fixture.ts';
import type { CaseView, Request } from '../messaging/protocol.ts';
import type { SendRequest } from '../messaging/send-request.ts';
import { gmailAdapter } from '../sites/gmail/gmail-adapter.ts';
import { salesforceAdapter } from '../sites/salesforce/salesforce-adapter.ts';
import { createOverlayController } from './overlay-controller.ts';

const THREAD = new URL('https://mail.google.com/mail/u/0/#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB');
const HOSTILE = '<img src=x onerror="alert(1)"> & <b>bold</b>';

const VIEW: CaseView = {
  case: {
    key: 'SUP-2',
    summary: `Invoice ${HOSTILE}`,
    status: 'In Progress',
    statusCategory: 'indeterminate',
    assignee: 'Ada Lovelace',
    url: 'https://jira.example/browse/SUP-2',
  },
  packet: {
    summary: 'Corrected invoice needed.',
    decisions: ['Reissue'],
    openQuestions: [HOSTILE],
    links: [{ title: 'evil', url: 'javascript:alert(1)' }],
    nextOwner: 'Ada Lovelace',
    definitionOfReady: [{ item: 'Invoice number', present: false }],
    risks: [],
    source: 'jira-app',
  },
  sla: { state: 'at-risk', label: 'At risk', dueAt: null },
  drafts: [{ audience: 'customer', subject: 'Re: x', text: 'Hello,\n\nThanks.' }],
};

function stubSend(overrides: Partial<Record<Request['type'], unknown>> = {}) {
  const calls: Request[] = [];
  const answers: Record<string, unknown> = {
    'cases.find': { ok: true, data: { linked: null, candidates: [VIEW.case], siteUrl: 'https://jira.example' } },
    'case.view': { ok: true, data: VIEW },
    'link.set': { ok: true, data: { linked: 'SUP-2', shared: true } },
    'jira.log': {
      ok: true,
      data: { commentId: '10001', url: 'https://jira.example/browse/SUP-2?focusedCommentId=10001' },
    },
    'jira.ping': { ok: true, data: { displayName: 'Ada', siteUrl: 'https://jira.example' } },
    'options.open': { ok: true, data: { opened: true } },
    ...overrides,
  };
  const send = (async (req: Request) => {
    calls.push(req);
    return answers[req.type];
  }) as unknown as SendRequest;
  return { send, calls };
}

/**
 * Every controller a test opened is closed after it: an open overlay watches the page and re-reads it
 * 250 ms after a change, and a timer left behind fires after happy-dom's window is torn down (CI saw
 * "ShadowRoot is not defined" from such a timer as an unhandled error).
 */
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const c of opened.splice(0)) c.close();
});

function setup(docPath: string, url: URL, adapter = gmailAdapter, send = stubSend()) {
  const doc = loadFixture(docPath);
  const mount = doc.createElement('div');
  doc.body.append(mount);
  const marks: string[] = [];
  const c = createOverlayController({
    doc,
    mount,
    adapter,
    send: send.send,
    url: () => url,
    settleMs: 50,
    onMark: (m) => marks.push(m),
    copyText: async () => {},
  });
  opened.push(c);
  return { doc, mount, c, calls: send.calls, marks };
}

/**
 * A person's click. happy-dom has no `isTrusted`; a real browser sets it on events it dispatches for
 * a person and makes it unforgeable, so here it is set on the event the test dispatches.
 */
const trusted = (root: Element, selector: string, event: Event): void => {
  Object.defineProperty(event, 'isTrusted', { value: true });
  root.querySelector(selector)!.dispatchEvent(event);
};
const click = (root: Element, selector: string): void =>
  trusted(root, selector, new MouseEvent('click', { bubbles: true, cancelable: true }));
/** The submit a browser fires when the rep presses Enter or clicks Link. */
const submit = (root: Element, selector: string): void =>
  trusted(root, selector, new Event('submit', { bubbles: true, cancelable: true }));
/** What a page's script can do: `element.click()` or `dispatchEvent`, both untrusted. */
const syntheticClick = (root: Element, selector: string): void => (root.querySelector(selector) as HTMLElement).click();
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('overlay on a Gmail thread', () => {
  it('finds the case by the key in the subject and shows packet, SLA and draft, all as text', async () => {
    const { mount, c, calls } = setup('gmail/gmail-thread-with-key.html', THREAD);
    await c.open();
    expect(calls.map((r) => r.type)).toEqual(['cases.find', 'case.view']);
    expect(calls[0]).toMatchObject({ pageId: 'gmail:18c4a2b7d9e1f305', keys: ['SUP-2'] });
    const packet = mount.querySelector('[data-role="packet"]')!;
    expect(packet.getAttribute('data-key')).toBe('SUP-2');
    expect(packet.textContent).toContain(HOSTILE);
    expect(mount.querySelector('img')).toBeNull();
    expect(mount.querySelector('b')).toBeNull();
    // A javascript: link from Jira data is shown, not linked.
    expect(Array.from(mount.querySelectorAll('a')).map((a) => a.getAttribute('href'))).not.toContain(
      'javascript:alert(1)',
    );
    expect(mount.querySelector('[data-role="sla"]')!.getAttribute('data-state')).toBe('at-risk');
    expect(mount.querySelector('[data-action="insert"]')).not.toBeNull();
  });

  it('logs the email only after the rep confirms the preview', async () => {
    const { mount, c, calls } = setup('gmail/gmail-thread-with-key.html', THREAD);
    await c.open();
    click(mount, '[data-action="log-start"]');
    const preview = mount.querySelector('[data-role="log-preview"]')!.textContent!;
    expect(preview).toContain('From: Carla Customer <carla@customer.example>');
    expect(calls.some((r) => r.type === 'jira.log')).toBe(false);
    click(mount, '[data-action="log-cancel"]');
    expect(mount.querySelector('[data-role="log-preview"]')).toBeNull();
    click(mount, '[data-action="log-start"]');
    click(mount, '[data-action="log-confirm"]');
    await flush();
    const log = calls.find((r) => r.type === 'jira.log');
    // By default: the latest message only, as an internal note.
    expect(log).toMatchObject({
      key: 'SUP-2',
      visibility: 'internal',
      entry: { kind: 'email', messages: [{ date: 'Mon, Nov 23, 2026, 9:41 AM' }] },
    });
    expect(mount.querySelector('.notice')!.textContent).toContain('Logged to SUP-2 as an internal note');
  });

  it('logs the messages the rep chose, as a public comment when the rep says so', async () => {
    const { mount, c, calls } = setup('gmail/gmail-thread-with-key.html', THREAD);
    await c.open();
    click(mount, '[data-action="log-start"]');
    expect(mount.querySelectorAll('[data-role="log-message"]')).toHaveLength(2);
    expect((mount.querySelector('[data-role="log-visibility"][value="internal"]') as HTMLInputElement).checked).toBe(
      true,
    );
    // None chosen: nothing to log, and the rep is told so.
    trusted(mount, '[data-role="log-message"][data-index="1"]', new Event('change', { bubbles: true }));
    expect(mount.querySelector('[data-role="log"] [role="alert"]')!.textContent).toBe(
      'Choose at least one message to log.',
    );
    expect(mount.querySelector('[data-action="log-confirm"]')!.hasAttribute('disabled')).toBe(true);
    trusted(mount, '[data-role="log-message"][data-index="0"]', new Event('change', { bubbles: true }));
    trusted(mount, '[data-role="log-message"][data-index="1"]', new Event('change', { bubbles: true }));
    trusted(mount, '[data-role="log-visibility"][value="public"]', new Event('change', { bubbles: true }));
    expect(mount.querySelector('[data-role="log-preview"]')!.textContent).toMatch(/^2 emails logged/);
    click(mount, '[data-action="log-confirm"]');
    await flush();
    const log = calls.find((r) => r.type === 'jira.log');
    expect(log).toMatchObject({ visibility: 'public', entry: { messages: [{}, {}] } });
    expect(mount.querySelector('.notice')!.textContent).toContain('as a public comment');
  });

  it('ignores clicks a script dispatches: no log, no insert, no unlink', async () => {
    const { doc, mount, c, calls } = setup('gmail/gmail-thread-with-key.html', THREAD);
    const box = doc.createElement('div');
    box.setAttribute('role', 'textbox');
    box.setAttribute('contenteditable', 'true');
    doc.querySelector('.compose-slot')!.append(box);
    await c.open();
    syntheticClick(mount, '[data-action="log-start"]');
    expect(mount.querySelector('[data-role="log-preview"]')).toBeNull();
    click(mount, '[data-action="log-start"]');
    syntheticClick(mount, '[data-action="log-confirm"]');
    syntheticClick(mount, '[data-action="insert"]');
    await flush();
    expect(calls.map((r) => r.type)).toEqual(['cases.find', 'case.view']);
    expect(box.textContent).toBe('');
    expect(c.isOpen).toBe(true);
  });

  it('never clicks the page’s Reply: asks the rep to, then inserts the draft into the reply the rep opens', async () => {
    const { doc, mount, c } = setup('gmail/gmail-thread-with-key.html', THREAD);
    const outside: EventTarget[] = [];
    doc.addEventListener('click', (e) => !mount.contains(e.target as Node) && outside.push(e.target!), true);
    await c.open();
    click(mount, '[data-action="insert"]');
    await flush();
    expect(mount.querySelector('.notice')!.textContent).toMatch(/^Click Reply under the last message/);
    expect(doc.querySelector('.compose-slot [role="textbox"]')).toBeNull();
    // Only the rep's click on Insert (inside the overlay), none on the page's controls.
    expect(outside).toEqual([]);
    // The rep clicks Reply; Gmail draws the reply box.
    const box = doc.createElement('div');
    box.setAttribute('role', 'textbox');
    box.setAttribute('contenteditable', 'true');
    doc.querySelector('.compose-slot')!.append(box);
    await vi.waitFor(() =>
      expect(doc.querySelector('.compose-slot [role="textbox"]')!.textContent).toContain('Thanks.'),
    );
    expect(mount.querySelector('.notice')!.textContent).toMatch(/never sends/);
  });

  it('lets the rep pick another candidate and remembers it', async () => {
    const other = { ...VIEW.case, key: 'SUP-3', summary: 'Export' };
    const { mount, c, calls } = setup(
      'gmail/gmail-thread-no-key.html',
      THREAD,
      gmailAdapter,
      stubSend({
        'cases.find': {
          ok: true,
          data: { linked: null, candidates: [VIEW.case, other], siteUrl: 'https://jira.example' },
        },
      }),
    );
    await c.open();
    // Two candidates and no key on the page: Baton does not guess.
    expect(calls.map((r) => r.type)).toEqual(['cases.find']);
    expect(mount.textContent).toContain('Which Jira case?');
    click(mount, 'button.candidate[data-key="SUP-3"]');
    await flush();
    expect(calls.slice(1)).toEqual([
      {
        type: 'link.set',
        pageId: 'gmail:18c4c9d8e7f60123',
        key: 'SUP-3',
        page: { url: THREAD.href, title: 'Re: Export to CSV times out for large reports' },
      },
      { type: 'case.view', key: 'SUP-3', audience: 'customer' },
    ]);
  });

  it('says where to go when Jira is not set up', async () => {
    const { mount, c, calls } = setup(
      'gmail/gmail-thread-with-key.html',
      THREAD,
      gmailAdapter,
      stubSend({
        'cases.find': {
          ok: false,
          error: { code: 'not-configured', message: "Set your Jira site in Baton's options first." },
        },
      }),
    );
    await c.open();
    expect(mount.querySelector('[data-code="not-configured"]')!.textContent).toMatch(/options/);
    click(mount, 'button.primary');
    await flush();
    expect(calls.at(-1)).toEqual({ type: 'options.open' });
  });

  it('marks first paint and case paint for the benchmark', async () => {
    const { c, marks } = setup('gmail/gmail-thread-with-key.html', THREAD);
    await c.open();
    await vi.waitFor(() => expect(marks).toEqual(['first-paint', 'case-paint']));
  });
});

describe('overlay on an unrecognised page', () => {
  it('says so and offers the manual link, which then shows the case', async () => {
    const url = new URL('https://acme.lightning.force.com/lightning/r/Account/001Dn00000AbCdEIAX/view');
    const { mount, c, calls } = setup('salesforce/lightning-home-unrecognised.html', url, salesforceAdapter);
    await c.open();
    expect(mount.querySelector('[role="alert"]')!.textContent).toMatch(/does not recognise/);
    expect(mount.querySelector('a')!.getAttribute('href')).toBe('https://jira.example/');
    const input = mount.querySelector('input[name="issue-key"]') as HTMLInputElement;
    input.value = 'sup-2';
    submit(mount, 'form[data-role="manual-link"]');
    await flush();
    expect(calls.at(-1)).toEqual({ type: 'case.view', key: 'SUP-2', audience: 'internal' });
    expect(mount.querySelector('[data-role="packet"]')).not.toBeNull();
    // Nothing was read from the page, so there is nothing to log.
    expect(mount.querySelector('[data-role="log"]')).toBeNull();
  });

  it('says it could not read the page, and offers the manual link, when the adapter throws', async () => {
    const url = new URL('https://acme.lightning.force.com/lightning/r/Opportunity/006Dn00000XyZaBIAV/view');
    // What Firefox did before the fix: its content scripts see `openOrClosedShadowRoot` as a property, not a method.
    const throwing = {
      ...salesforceAdapter,
      extract: () => {
        throw new TypeError('e.openOrClosedShadowRoot is not a function');
      },
    };
    const { mount, c } = setup('salesforce/lightning-opportunity-shadow-dom.html', url, throwing);
    await c.open();
    expect(mount.querySelector('[role="alert"]')!.textContent).toBe(
      'Baton could not read this page (e.openOrClosedShadowRoot is not a function).',
    );
    expect(mount.querySelector('form[data-role="manual-link"]')).not.toBeNull();
  });
});
