import { storage } from 'wxt/utils/storage';
import * as z from 'zod/mini';
import type { AUDIENCES } from '../messaging/protocol.ts';
import { modelSettingsItem } from './model-settings.ts';

export const AudiencePresetSchema = z.object({
  greeting: z.string().check(z.maxLength(200)),
  signOff: z.string().check(z.maxLength(400)),
});
export type AudiencePreset = z.infer<typeof AudiencePresetSchema>;

export const SettingsSchema = z.object({
  /** Origin of the user's Jira, e.g. `https://acme.atlassian.net`; null until the rep sets it. */
  jiraSiteUrl: z.nullable(z.string()),
  /** The rep's greeting and sign-off per audience (core's `AUDIENCES`). */
  audiences: z.object({
    customer: AudiencePresetSchema,
    internal: AudiencePresetSchema,
    executive: AudiencePresetSchema,
  }),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  jiraSiteUrl: null,
  audiences: {
    customer: { greeting: 'Hello,', signOff: 'Kind regards,' },
    internal: { greeting: 'Hi team,', signOff: 'Thanks,' },
    executive: { greeting: 'Hi,', signOff: 'Best regards,' },
  },
};

/** What version 1 stored (the first release): a free-text Jira URL and a model switch. */
export interface SettingsV1 {
  jiraUrl?: string;
  modelEnabled?: boolean;
}

/** Normalises what a rep types ("acme.atlassian.net/jira/…") to an origin, or null when it is not a web address. */
export function normaliseSiteUrl(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '') return null;
  try {
    const u = new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return u.origin;
  } catch {
    return null;
  }
}

/** What version 2 stored: the model choice synced with everything else. */
export interface SettingsV2 extends SettingsV3 {
  model?: { enabled?: boolean; provider?: string };
}

export function migrateSettingsV1(v1: SettingsV1): SettingsV2 {
  return {
    audiences: { customer: DEFAULT_SETTINGS.audiences.customer, 'account-team': DEFAULT_SETTINGS.audiences.internal },
    jiraSiteUrl: normaliseSiteUrl(v1.jiraUrl ?? ''),
    // v1 had no provider choice; a switched-on model without a provider would send nowhere, so it stays off.
    model: { enabled: false, provider: 'none' },
  };
}

/**
 * Version 3 takes the model choice out of the synced settings: it belongs to one device (the
 * built-in model exists there or not; the user's own key must never sync). A built-in model switched
 * on in v2 stays on, in this device's `local:model`; everything else is kept as it was.
 */
export async function migrateSettingsV2(v2: SettingsV2): Promise<SettingsV3> {
  const { model, ...rest } = v2;
  if (model?.enabled === true && model.provider === 'chrome-built-in') {
    const current = await modelSettingsItem.getValue();
    if (current.provider === 'none') await modelSettingsItem.setValue({ ...current, provider: 'chrome-built-in' });
  }
  return rest;
}

/** What version 3 stored: two audiences of the extension's own ('account-team' for Salesforce). */
export interface SettingsV3 {
  jiraSiteUrl: string | null;
  audiences: { customer: AudiencePreset; 'account-team': AudiencePreset };
}

/**
 * Version 4 speaks core's audiences: the account team's presets become the internal audience's, and
 * the executive audience starts with the defaults.
 */
export function migrateSettingsV3(v3: SettingsV3): Settings {
  const { 'account-team': team, customer } = v3.audiences;
  return {
    jiraSiteUrl: v3.jiraSiteUrl,
    audiences: { customer, internal: team, executive: DEFAULT_SETTINGS.audiences.executive },
  };
}

/** Settings sync across the rep's browsers; they hold no secrets (the Jira session stays in cookies, model keys in `local:model`). */
export const settingsItem = storage.defineItem<Settings>('sync:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 4,
  migrations: {
    2: (old: SettingsV1) => migrateSettingsV1(old),
    3: (old: SettingsV2) => migrateSettingsV2(old),
    4: (old: SettingsV3) => migrateSettingsV3(old),
  },
});

/** Stored settings, validated: anything malformed falls back to the defaults instead of half-working. */
export async function readSettings(): Promise<Settings> {
  const raw = await settingsItem.getValue();
  const parsed = SettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export const AUDIENCE_LABELS: Record<(typeof AUDIENCES)[number], string> = {
  customer: 'Customer (the default on Gmail)',
  internal: 'Internal team (the default on Salesforce)',
  executive: 'Executive',
};

/** Shown on the options page; kept here so that a test can hold the code to it. */
export const NEVER_SENT = [
  'Nothing is sent anywhere but your own Jira site, with your own Jira login, and, only if you switch it on below, the model provider you chose.',
  'Emails and Salesforce records are read only when you open Baton, and written to Jira only when you confirm "Log to Jira".',
  'No analytics, no tracking, no Baton server: there is none.',
  'With the optional model off (the default), no text goes to any model provider.',
  'With your own model key on, only the draft and the packet summary go to the provider you chose, with email addresses, phone numbers, card numbers and secrets replaced by placeholders; your key stays on this device.',
];
