// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attachDeclarativeShadowRoots, fixtureHtml, loadFixture } from '../../../test/load-fixture.ts';
import { salesforceAdapter, salesforceRecord } from './salesforce-adapter.ts';

const ACCOUNT = new URL('https://acme.lightning.force.com/lightning/r/Account/001Dn00000AbCdEIAX/view');
const OPPORTUNITY = new URL('https://acme.lightning.force.com/lightning/r/Opportunity/006Dn00000XyZaBIAV/view');

const GLOBEX = new URL('https://acme.lightning.force.com/lightning/r/Opportunity/006Dn00000GlBxAIAV/view');

/**
 * What Lightning does on navigation: the new record page goes into the page stack as the active
 * `.oneContent`; the earlier one stays in the DOM, hidden and no longer active.
 */
function navigateLightning(doc: Document, nextFixture: string): Document {
  const next = loadFixture(nextFixture).querySelector('.oneContent.active')!;
  const earlier = doc.querySelector('.oneContent.active')!;
  earlier.classList.remove('active');
  (earlier as HTMLElement).style.display = 'none';
  earlier.parentElement!.append(doc.importNode(next, true));
  return doc;
}

describe('salesforce adapter: the record on screen', () => {
  it('after Account "Acme", an Opportunity "Globex" page reads Globex only (Acme is kept, hidden, in the DOM)', () => {
    const doc = navigateLightning(
      loadFixture('salesforce/lightning-account-light-dom.html'),
      'salesforce/lightning-opportunity-globex-de.html',
    );
    expect(doc.body.textContent).toContain('Acme Corporation');
    const x = salesforceAdapter.extract(doc, GLOBEX);
    expect(x.kind).toBe('page');
    if (x.kind !== 'page' || x.context.entry.kind !== 'record') return;
    expect(x.context.title).toBe('Globex – Datenexport-Erweiterung');
    expect(x.context.pageId).toBe('salesforce:006Dn00000GlBxAIAV');
    // Acme's description names SUP-4; Globex's Jira field names SUP-3. Only Globex's may count.
    expect(x.context.keys).toEqual(['SUP-3']);
    expect(x.context.searchText).toBe('Globex – Datenexport-Erweiterung');
    const labels = x.context.entry.fields.map((f) => f.label);
    expect(labels).toContain('Nächster Schritt');
    expect(labels).not.toContain('Industry');
    expect(JSON.stringify(x.context.entry)).not.toContain('Acme');
  });

  it('says so when every record page in the DOM is hidden, instead of reading a hidden one', () => {
    const doc = loadFixture('salesforce/lightning-account-light-dom.html');
    const only = doc.querySelector('.oneContent.active') as HTMLElement;
    only.style.display = 'none';
    const x = salesforceAdapter.extract(doc, ACCOUNT);
    expect(x.kind).toBe('unrecognised');
    expect(x.kind === 'unrecognised' && x.message).toMatch(/no Account shown/);
  });

  it('reads a record page in a German interface: labels as shown, keys from the values', () => {
    const x = salesforceAdapter.extract(loadFixture('salesforce/lightning-opportunity-globex-de.html'), GLOBEX);
    expect(x.kind === 'page' && x.context.entry).toMatchObject({
      kind: 'record',
      object: 'Opportunity',
      fields: expect.arrayContaining([
        { label: 'Phase', value: 'Bedarfsanalyse' },
        { label: 'Jira-Vorgang', value: 'SUP-3' },
        { label: 'Betrag', value: '48.000,00 €' },
      ]),
    });
  });
});

describe('salesforce adapter', () => {
  it('reads a light-DOM record page: name, object, key facts, keys', () => {
    const x = salesforceAdapter.extract(loadFixture('salesforce/lightning-account-light-dom.html'), ACCOUNT);
    expect(x.kind).toBe('page');
    if (x.kind !== 'page') return;
    expect(x.context.title).toBe('Acme Corporation');
    expect(x.context.pageId).toBe('salesforce:001Dn00000AbCdEIAX');
    expect(x.context.keys).toEqual(['SUP-4']);
    expect(x.context.entry).toMatchObject({
      kind: 'record',
      object: 'Account',
      recordId: '001Dn00000AbCdEIAX',
      name: 'Acme Corporation',
    });
    if (x.context.entry.kind !== 'record') return;
    expect(x.context.entry.fields).toEqual([
      { label: 'Account Name', value: 'Acme Corporation' },
      { label: 'Account Owner', value: 'Rita Rep' },
      { label: 'Industry', value: 'Manufacturing' },
      {
        label: 'Description',
        value: 'Locked out after the SSO metadata rotation; see SUP-4. <script>alert(1)</script>',
      },
      { label: 'Type', value: 'Customer - Direct' },
      { label: 'Phone', value: '+1 415 555 0100' },
    ]);
  });

  it('reads fields that sit inside shadow roots (LWC native shadow)', () => {
    const x = salesforceAdapter.extract(loadFixture('salesforce/lightning-opportunity-shadow-dom.html'), OPPORTUNITY);
    expect(x.kind).toBe('page');
    if (x.kind !== 'page' || x.context.entry.kind !== 'record') return;
    expect(x.context.title).toBe('Acme Corporation - 500 seat renewal');
    expect(x.context.entry.object).toBe('Opportunity');
    expect(x.context.keys).toEqual(['SUP-4']);
    expect(x.context.entry.fields.map((f) => f.label)).toEqual([
      'Opportunity Name',
      'Account Name',
      'Stage',
      'Close Date',
      'Amount',
      'Jira Issue',
      'Next Step',
    ]);
    expect(x.context.entry.fields.find((f) => f.label === 'Next Step')?.value).toBe(
      'Unblock SSO before signature; legal review of <b>MSA</b> pending',
    );
  });

  it('sees nothing in closed shadow roots without the browser’s help, and everything with it', () => {
    const doc = new DOMParser().parseFromString(
      fixtureHtml('salesforce/lightning-opportunity-shadow-dom.html'),
      'text/html',
    );
    const closed = new Map<Element, ShadowRoot>();
    attachDeclarativeShadowRoots(doc, 'closed', (host, sr) => closed.set(host, sr));
    expect(salesforceAdapter.extract(doc, OPPORTUNITY).kind).toBe('unrecognised');
    const x = salesforceAdapter.extract(doc, OPPORTUNITY, (el) => closed.get(el) ?? el.shadowRoot);
    expect(x.kind === 'page' && x.context.title).toBe('Acme Corporation - 500 seat renewal');
  });

  it('says plainly when a record page has none of the known components', () => {
    const x = salesforceAdapter.extract(loadFixture('salesforce/lightning-home-unrecognised.html'), ACCOUNT);
    expect(x.kind).toBe('unrecognised');
    expect(x.kind === 'unrecognised' && x.message).toMatch(/does not recognise this Account page/);
  });

  it('is elsewhere on non-record routes', () => {
    const x = salesforceAdapter.extract(
      loadFixture('salesforce/lightning-account-light-dom.html'),
      new URL('https://acme.lightning.force.com/lightning/o/Account/list'),
    );
    expect(x.kind).toBe('elsewhere');
  });

  it.each([
    ['/lightning/r/Account/001Dn00000AbCdEIAX/view', { object: 'Account', id: '001Dn00000AbCdEIAX' }],
    ['/lightning/r/Custom_Object__c/a01Dn00000AbCdE/view', { object: 'Custom_Object__c', id: 'a01Dn00000AbCdE' }],
    ['/lightning/r/Account/001Dn00000AbCdEIAX/related/Contacts/view', null],
    ['/lightning/page/home', null],
  ])('route %s', (path, want) => {
    expect(salesforceRecord(new URL(`https://acme.my.salesforce.com${path}`))).toEqual(want);
  });
});
