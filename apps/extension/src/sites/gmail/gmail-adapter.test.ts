// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../../test/load-fixture.ts';
import { gmailAdapter, gmailThreadId } from './gmail-adapter.ts';

const THREAD = new URL('https://mail.google.com/mail/u/0/#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB');

describe('gmail adapter on built thread fixtures', () => {
  it('reads subject, thread id, keys and the latest message', () => {
    const x = gmailAdapter.extract(loadFixture('gmail/gmail-thread-with-key.html'), THREAD);
    expect(x.kind).toBe('page');
    if (x.kind !== 'page') return;
    const c = x.context;
    expect(c.pageId).toBe('gmail:18c4a2b7d9e1f305');
    expect(c.title).toBe('Re: Invoice PDF shows the wrong VAT rate [SUP-2]');
    expect(c.keys).toEqual(['SUP-2']);
    expect(c.searchText).toBe('Invoice PDF shows the wrong VAT rate [SUP-2]');
    expect(c.entry).toMatchObject({ kind: 'email', link: THREAD.href });
    if (c.entry.kind !== 'email') return;
    // Every message of the thread, oldest first; the rep chooses which to log.
    expect(c.entry.messages.map((m) => m.date)).toEqual(['Fri, Nov 20, 2026, 9:12 AM', 'Mon, Nov 23, 2026, 9:41 AM']);
    const latest = c.entry.messages.at(-1)!;
    expect(latest.from).toEqual({ name: 'Carla Customer', email: 'carla@customer.example' });
    expect(latest.text).toContain('Any news? Month end is Friday.');
    // Markup in an email is text: it arrives as the characters the sender typed.
    expect(latest.text).toContain('<img src=x onerror="alert(1)">');
  });

  it('finds no key where there is none (RPT-UTF-8 is not an issue) and searches by subject', () => {
    const x = gmailAdapter.extract(loadFixture('gmail/gmail-thread-no-key.html'), THREAD);
    expect(x.kind === 'page' && x.context.keys).toEqual([]);
    expect(x.kind === 'page' && x.context.searchText).toBe('Export to CSV times out for large reports');
  });

  it('still reads a thread whose class names all changed, from attributes and roles', () => {
    const renamed = gmailAdapter.extract(loadFixture('gmail/gmail-thread-renamed-classes.html'), THREAD);
    const original = gmailAdapter.extract(loadFixture('gmail/gmail-thread-with-key.html'), THREAD);
    expect(renamed.kind).toBe('page');
    if (renamed.kind !== 'page' || original.kind !== 'page') return;
    expect(renamed.context.title).toBe(original.context.title);
    expect(renamed.context.entry).toEqual(original.context.entry);
  });
});

describe('gmail adapter on real Gmail snapshots (InboxSDK)', () => {
  it('on the inbox route says there is no thread open', () => {
    const x = gmailAdapter.extract(
      loadFixture('gmail/inboxsdk-thread-list-2014.html'),
      new URL('https://mail.google.com/mail/u/0/#inbox'),
    );
    expect(x).toEqual({ kind: 'elsewhere', message: 'Open an email thread to see its Jira case.' });
  });

  it('on a thread route whose page is not a thread, says the structure is unrecognised instead of guessing', () => {
    const x = gmailAdapter.extract(loadFixture('gmail/inboxsdk-thread-list-2014.html'), THREAD);
    expect(x.kind).toBe('unrecognised');
    expect(x.kind === 'unrecognised' && x.message).toMatch(/does not recognise this Gmail thread/);
  });

  it('the real snapshot has the main pane and sender attributes the selectors rely on', () => {
    const doc = loadFixture('gmail/inboxsdk-thread-list-2014.html');
    expect(doc.querySelector('div[role="main"]')).not.toBeNull();
    expect(doc.querySelectorAll('span[email][name]').length).toBeGreaterThan(10);
  });

  it('on the add-on sidebar alone (no main pane) says so', () => {
    const x = gmailAdapter.extract(loadFixture('gmail/inboxsdk-addon-sidebar-2017-09-08.html'), THREAD);
    expect(x.kind === 'unrecognised' && x.message).toMatch(/no main pane/);
  });
});

describe('gmail routes', () => {
  it.each([
    ['#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB', 'FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB'],
    ['#label/Customers/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB', 'FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB'],
    ['#search/vat/18c4a2b7d9e1f305', '18c4a2b7d9e1f305'],
    ['#inbox', null],
    ['#settings/general', null],
    ['', null],
  ])('%s → %s', (hash, id) => {
    expect(gmailThreadId(new URL(`https://mail.google.com/mail/u/0/${hash}`))).toBe(id);
  });
});

describe('insert into reply', () => {
  it('puts the draft into the open reply box as text, one line per div, and sends nothing', () => {
    const doc = loadFixture('gmail/gmail-thread-with-key.html');
    const box = doc.createElement('div');
    box.setAttribute('role', 'textbox');
    box.setAttribute('contenteditable', 'true');
    box.setAttribute('g_editable', 'true');
    doc.querySelector('.compose-slot')!.append(box);
    const r = gmailAdapter.insertDraft!(doc, 'Hello,\n\n<b>not bold</b>');
    expect(r).toEqual({ ok: true });
    expect(box.textContent).toContain('<b>not bold</b>');
    expect(box.querySelector('b')).toBeNull();
  });

  it('asks the rep to open the reply when none is open, and never clicks Reply itself', () => {
    const doc = loadFixture('gmail/gmail-thread-with-key.html');
    let clicked = 0;
    doc.addEventListener('click', () => clicked++, true);
    expect(gmailAdapter.insertDraft!(doc, 'x')).toEqual({
      ok: false,
      later: true,
      message: 'Click Reply under the last message: Baton puts the draft in as soon as the reply opens.',
    });
    expect(clicked).toBe(0);
  });
});

/** A Gmail body editor, as an inline reply or a new message has one. */
function editor(doc: Document): HTMLElement {
  const box = doc.createElement('div');
  for (const [k, v] of Object.entries({ role: 'textbox', contenteditable: 'true', g_editable: 'true' }))
    box.setAttribute(k, v);
  return box;
}

/** A new message in the compose dock (outside the thread's pane), as Compose opens it. */
function newMessageInDock(doc: Document): HTMLElement {
  const dialog = doc.createElement('div');
  dialog.setAttribute('role', 'dialog');
  const box = editor(doc);
  dialog.append(box);
  // Before the thread in document order: a first-match search would find it first.
  doc.body.prepend(dialog);
  return box;
}

describe('the reply of the thread shown', () => {
  it('never inserts into a new message open in the compose dock; asks for a reply instead', () => {
    const doc = loadFixture('gmail/gmail-thread-with-key.html');
    const other = newMessageInDock(doc);
    const r = gmailAdapter.insertDraft!(doc, 'Update on your request SUP-2.');
    expect(r).toMatchObject({ ok: false, later: true, message: expect.stringMatching(/^Click Reply/) });
    expect(other.textContent).toBe('');
  });

  it('with a new message and the thread’s reply both open, inserts into the reply', () => {
    const doc = loadFixture('gmail/gmail-thread-with-key.html');
    const other = newMessageInDock(doc);
    const reply = editor(doc);
    doc.querySelector('.compose-slot')!.append(reply);
    expect(gmailAdapter.insertDraft!(doc, 'Update on your request SUP-2.')).toEqual({ ok: true });
    expect(reply.textContent).toContain('Update on your request SUP-2.');
    expect(other.textContent).toBe('');
  });

  it('reads the thread shown when Gmail keeps another thread hidden in the DOM', () => {
    const doc = loadFixture('gmail/gmail-thread-with-key.html');
    const hidden = loadFixture('gmail/gmail-thread-no-key.html').querySelector('div[role="main"]')!;
    const kept = doc.importNode(hidden, true) as HTMLElement;
    kept.style.display = 'none';
    doc.body.prepend(kept);
    const x = gmailAdapter.extract(doc, THREAD);
    expect(x.kind === 'page' && x.context.title).toBe('Re: Invoice PDF shows the wrong VAT rate [SUP-2]');
  });
});

describe('a Gmail thread in German', () => {
  it('reads subject, sender, date and keys, and writes into the reply the rep opens, with no English label to lean on', () => {
    const doc = loadFixture('gmail/gmail-thread-de.html');
    const x = gmailAdapter.extract(doc, THREAD);
    expect(x.kind === 'page' && x.context).toMatchObject({
      title: 'AW: Rechnungs-PDF zeigt den falschen MwSt-Satz [SUP-2]',
      keys: ['SUP-2'],
      entry: {
        messages: [
          { date: 'Fr., 20. Nov. 2026, 09:12' },
          { from: { name: 'Carla Kundin', email: 'carla@kunde.example' }, date: 'Mo., 23. Nov. 2026, 09:41' },
        ],
      },
    });
    expect(gmailAdapter.insertDraft!(doc, 'x')).toMatchObject({ ok: false, later: true });
    // The rep clicks „Antworten“; Gmail draws the reply in the thread.
    doc.querySelector('.compose-slot')!.append(editor(doc));
    expect(gmailAdapter.insertDraft!(doc, 'Hallo,\n\nDanke.')).toEqual({ ok: true });
    expect(doc.querySelector('.compose-slot')!.textContent).toContain('Danke.');
  });
});
