import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_MODEL_SETTINGS, ownModelOf, parseModelBaseUrl, readModelSettings } from './model-settings.ts';
import {
  DEFAULT_SETTINGS,
  NEVER_SENT,
  migrateSettingsV1,
  normaliseSiteUrl,
  readSettings,
  settingsItem,
} from './settings.ts';

/** What versions 2 and 3 stored: the extension's own two audiences. */
const V3_AUDIENCES = {
  customer: { greeting: 'Hello,', signOff: 'Kind regards,' },
  'account-team': { greeting: 'Hi team,', signOff: 'Thanks,' },
};

describe('settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('starts from the defaults: no Jira site, model off', async () => {
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await readModelSettings()).toEqual(DEFAULT_MODEL_SETTINGS);
    expect(DEFAULT_MODEL_SETTINGS.provider).toBe('none');
  });

  it('migrates what version 1 stored to version 4, the model off', async () => {
    await fakeBrowser.storage.sync.set({
      settings: { jiraUrl: 'acme.atlassian.net/jira/software', modelEnabled: true },
      settings$: { v: 1 },
    });
    await settingsItem.migrate();
    const s = await readSettings();
    expect(s.jiraSiteUrl).toBe('https://acme.atlassian.net');
    expect(s).not.toHaveProperty('model');
    expect(s.audiences.customer.greeting).toBe('Hello,');
    expect(await fakeBrowser.storage.sync.get('settings$')).toEqual({ settings$: { v: 4 } });
    expect(await readModelSettings()).toEqual(DEFAULT_MODEL_SETTINGS);
  });

  it('moves a v2 built-in model choice out of the synced settings into this device, keeping the rest', async () => {
    const v2 = {
      jiraSiteUrl: 'https://acme.atlassian.net',
      audiences: V3_AUDIENCES,
      model: { enabled: true, provider: 'chrome-built-in' },
    };
    await fakeBrowser.storage.sync.set({ settings: v2, settings$: { v: 2 } });
    await settingsItem.migrate();
    const synced = (await fakeBrowser.storage.sync.get('settings')).settings as Record<string, unknown>;
    expect(synced).toEqual({ jiraSiteUrl: 'https://acme.atlassian.net', audiences: DEFAULT_SETTINGS.audiences });
    expect(await readModelSettings()).toEqual({ provider: 'chrome-built-in', ownModel: null });
  });

  it('speaks core’s audiences from version 4: the account team’s presets become the internal team’s', async () => {
    const team = { greeting: 'Hallo Team,', signOff: 'Danke, Rita' };
    await fakeBrowser.storage.sync.set({
      settings: { jiraSiteUrl: 'https://acme.atlassian.net', audiences: { ...V3_AUDIENCES, 'account-team': team } },
      settings$: { v: 3 },
    });
    await settingsItem.migrate();
    expect(await readSettings()).toEqual({
      jiraSiteUrl: 'https://acme.atlassian.net',
      audiences: { customer: V3_AUDIENCES.customer, internal: team, executive: DEFAULT_SETTINGS.audiences.executive },
    });
  });

  it('leaves the model off when v2 had it off', async () => {
    await fakeBrowser.storage.sync.set({
      settings: { jiraSiteUrl: null, audiences: V3_AUDIENCES, model: { enabled: false, provider: 'chrome-built-in' } },
      settings$: { v: 2 },
    });
    await settingsItem.migrate();
    expect(await readModelSettings()).toEqual(DEFAULT_MODEL_SETTINGS);
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the user’s own model in storage.local only, and reads a malformed one as no model', async () => {
    const own = {
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4.1-mini',
      apiKey: 'sk-rep-own-key-0000000000000000',
    };
    await fakeBrowser.storage.local.set({ model: { provider: 'openai-compatible', ownModel: own } });
    expect(ownModelOf(await readModelSettings())).toEqual(own);
    expect(JSON.stringify(await fakeBrowser.storage.sync.get(null))).not.toContain('sk-rep-own-key');
    await fakeBrowser.storage.local.set({ model: { provider: 'openai-compatible', ownModel: { ...own, apiKey: '' } } });
    expect(await readModelSettings()).toEqual(DEFAULT_MODEL_SETTINGS);
  });

  it('accepts https base URLs, http only on this computer, and no credentials in the URL', () => {
    expect(parseModelBaseUrl(' https://api.openai.com/v1/ ')).toEqual({
      ok: true,
      value: { baseUrl: 'https://api.openai.com/v1', origin: 'https://api.openai.com' },
    });
    expect(parseModelBaseUrl('http://localhost:11434/v1')).toMatchObject({
      ok: true,
      value: { origin: 'http://localhost:11434' },
    });
    expect(parseModelBaseUrl('http://llm.corp.example/v1')).toMatchObject({
      ok: false,
      issue: { code: 'base-url.insecure' },
    });
    expect(parseModelBaseUrl('https://user:sk-abc@llm.example/v1')).toMatchObject({
      ok: false,
      issue: { code: 'base-url.credentials' },
    });
    expect(parseModelBaseUrl('api.openai.com')).toMatchObject({ ok: false, issue: { code: 'base-url.invalid' } });
  });

  it('tells the rep what may leave the browser when a model is on', () => {
    expect(NEVER_SENT.join(' ')).toMatch(/only if you switch it on/);
  });

  it('falls back to the defaults when the stored value is malformed', async () => {
    await fakeBrowser.storage.sync.set({ settings: { jiraSiteUrl: 42 }, settings$: { v: 3 } });
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
