// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attachDeclarativeShadowRoots, fixtureHtml, loadFixture } from '../../../test/load-fixture.ts';
import { salesforceAdapter, salesforceRecord } from './salesforce-adapter.ts';

const ACCOUNT = new URL('https://acme.lightning.force.com/lightning/r/Account/001Dn00000AbCdEIAX/view');
const OPPORTUNITY = new URL('https://acme.lightning.force.com/lightning/r/Opportunity/006Dn00000XyZaBIAV/view');

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
