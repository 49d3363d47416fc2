import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, migrateSettingsV1, normaliseSiteUrl, readSettings, settingsItem } from './settings.ts';

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts from the defaults: no Jira site, model off', async () => {
    const s = await readSettings();
    expect(s).toEqual(DEFAULT_SETTINGS);
    expect(s.model.enabled).toBe(false);
  });

  it('migrates what version 1 stored to version 2', async () => {
    await fakeBrowser.storage.sync.set({ settings: { jiraUrl: 'acme.atlassian.net/jira/software', modelEnabled: true }, settings$: { v: 1 } });
    await settingsItem.migrate();
    const s = await readSettings();
    expect(s.jiraSiteUrl).toBe('https://acme.atlassian.net');
    expect(s.model).toEqual({ enabled: false, provider: 'none' });
    expect(s.audiences.customer.greeting).toBe('Hello,');
    expect(await fakeBrowser.storage.sync.get('settings$')).toEqual({ 'settings$': { v: 2 } });
  });

  it('falls back to the defaults when the stored value is malformed', async () => {
    await fakeBrowser.storage.sync.set({ settings: { jiraSiteUrl: 42 }, settings$: { v: 2 } });
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('normalises site URLs and rejects what is not a web address', () => {
    expect(normaliseSiteUrl(' https://acme.atlassian.net/browse/SUP-1 ')).toBe('https://acme.atlassian.net');
    expect(normaliseSiteUrl('jira.example.com:8443')).toBe('https://jira.example.com:8443');
    expect(normaliseSiteUrl('')).toBeNull();
    expect(normaliseSiteUrl('javascript:alert(1)')).toBeNull();
    expect(migrateSettingsV1({}).jiraSiteUrl).toBeNull();
  });
});
