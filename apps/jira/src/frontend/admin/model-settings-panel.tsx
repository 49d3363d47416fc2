import { Button, Label, RadioGroup, SectionMessage, Select, Stack, Text, Textfield } from '@forge/react';
import { useEffect, useState } from 'react';
import { FORGE_LLM_MODELS, MODEL_PROVIDERS } from '../../contracts/model-settings.ts';
import type { ModelProvider, ModelSettings, OpenAISettings } from '../../contracts/model-settings.ts';
import { callResolver, useResolver } from '../use-resolver.ts';

const PROVIDER_LABEL: Record<ModelProvider, string> = {
  none: "None: the rules' templates (default)",
  'forge-llm': 'Forge LLM: Atlassian-hosted Claude, no data leaves Atlassian',
  'openai-compatible':
    'OpenAI-compatible: OpenAI or Azure OpenAI, with your API key (ticket text leaves Atlassian, redacted)',
};
const NO_OPENAI: OpenAISettings = { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', api: 'chat' };
const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * The site's language model for wording the concierge's drafts. A model rewords text the rules
 * wrote; decisions, recipients and audiences never depend on it, and an unusable answer falls back
 * to the template. Shows the day's tokens and the calls by outcome (counts only). In the OpenAI
 * edition, the API key field is write-only: the page never receives the key, only whether one is set.
 */
export function ModelSettingsPanel({ onSaved }: { onSaved?: () => void } = {}) {
  const [reload, setReload] = useState(0);
  const loaded = useResolver('getModelSettings', {}, reload);
  const [draft, setDraft] = useState<ModelSettings | null>(null);
  const [tokens, setTokens] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (loaded.status !== 'ok') return;
    setDraft(loaded.data.settings);
    setTokens(String(loaded.data.settings.dailyTokens));
  }, [loaded]);

  if (loaded.status === 'loading' || draft === null) return <Text>Loading the model settings…</Text>;
  if (loaded.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{loaded.message}</Text>
      </SectionMessage>
    );
  const { usage, key, edition } = loaded.data;
  const openai = draft.openai ?? NO_OPENAI;
  const setOpenAI = (patch: Partial<OpenAISettings>) => setDraft({ ...draft, openai: { ...openai, ...patch } });

  const save = async () => {
    const r = await callResolver('saveModelSettings', {
      ...draft,
      dailyTokens: Number(tokens),
      ...(draft.provider === 'openai-compatible' ? { openai } : {}),
    });
    if (r.status === 'ok') {
      const s = r.data.settings;
      setNotice({
        ok: true,
        text: `Saved: drafts are worded by ${s.provider === 'none' ? 'the rules' : s.provider === 'openai-compatible' ? (s.openai?.model ?? 'the model') : s.model}.`,
      });
      setReload((n) => n + 1);
      onSaved?.();
    } else if (r.status === 'error') setNotice({ ok: false, text: r.message });
  };
  const saveKey = async () => {
    const r = await callResolver('setModelKey', { apiKey });
    // The typed key is dropped from the page either way: it is never shown again.
    setApiKey('');
    if (r.status === 'ok') {
      setNotice({ ok: true, text: 'API key saved in Forge secret storage.' });
      setReload((n) => n + 1);
    } else if (r.status === 'error') setNotice({ ok: false, text: r.message });
  };
  const removeKey = async () => {
    const r = await callResolver('removeModelKey', {});
    if (r.status === 'ok') {
      setNotice({ ok: true, text: 'API key removed: drafts use the rules until a new key is saved.' });
      setReload((n) => n + 1);
    } else if (r.status === 'error') setNotice({ ok: false, text: r.message });
  };
  const outcomes = Object.entries(usage.outcomes)
    .map(([o, n]) => `${o} ×${n}`)
    .join(', ');
  const offered = MODEL_PROVIDERS.filter((p) => edition.providers.includes(p));

  return (
    <Stack space="space.200">
      <Text>
        A model only rewords the concierge's drafts. Routing, nudges, escalations and approvals are decided by the
        charter's rules, with or without a model.
      </Text>
      {notice === null ? null : (
        <SectionMessage appearance={notice.ok ? 'success' : 'error'}>
          <Text>{notice.text}</Text>
        </SectionMessage>
      )}
      <Label labelFor="model.provider">Model</Label>
      <RadioGroup
        name="model.provider"
        value={draft.provider}
        options={offered.map((p) => ({ name: 'model.provider', value: p, label: PROVIDER_LABEL[p] }))}
        onChange={(e) => setDraft({ ...draft, provider: offered.find((p) => p === e.target.value) ?? 'none' })}
      />
      {draft.provider === 'forge-llm' ? (
        <Stack space="space.100">
          <Label labelFor="model.model">Forge LLM model</Label>
          <Select
            inputId="model.model"
            name="model.model"
            value={{ label: draft.model, value: draft.model }}
            options={FORGE_LLM_MODELS.map((m) => ({ label: m, value: m }))}
            onChange={(o: { value: (typeof FORGE_LLM_MODELS)[number] } | null) =>
              o && setDraft({ ...draft, model: o.value })
            }
          />
        </Stack>
      ) : null}
      {draft.provider === 'openai-compatible' ? (
        <Stack space="space.100">
          <Label labelFor="model.openai.baseURL">{`Base URL (hosts this edition may reach: ${edition.egress.map((h) => h.replace(/^https:\/\//, '')).join(', ')})`}</Label>
          <Textfield
            id="model.openai.baseURL"
            name="model.openai.baseURL"
            value={openai.baseURL}
            onChange={(e) => setOpenAI({ baseURL: String(e.target.value ?? '') })}
          />
          <Label labelFor="model.openai.model">Model (or Azure deployment name)</Label>
          <Textfield
            id="model.openai.model"
            name="model.openai.model"
            value={openai.model}
            onChange={(e) => setOpenAI({ model: String(e.target.value ?? '') })}
          />
          <Label labelFor="model.openai.apiKey">API key</Label>
          <Text>
            {key.set
              ? `A key is stored${key.setAt === undefined ? '' : ` (set ${when(key.setAt)} UTC)`}. It is never shown; type a new one to replace it.`
              : 'No key is stored yet.'}
          </Text>
          <Textfield
            id="model.openai.apiKey"
            name="model.openai.apiKey"
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(String(e.target.value ?? ''))}
          />
          <Button onClick={() => void saveKey()}>Save key</Button>
          {key.set ? (
            <Button appearance="warning" onClick={() => void removeKey()}>
              Remove key
            </Button>
          ) : null}
        </Stack>
      ) : null}
      {draft.provider === 'none' ? null : (
        <Stack space="space.100">
          <Label labelFor="model.dailyTokens">
            Tokens per day for this site (then drafts fall back to the templates)
          </Label>
          <Textfield
            id="model.dailyTokens"
            name="model.dailyTokens"
            type="number"
            value={tokens}
            onChange={(e) => setTokens(String(e.target.value ?? ''))}
          />
        </Stack>
      )}
      <Button appearance="primary" onClick={() => void save()}>
        Save model settings
      </Button>
      <Text>{`Today: ${usage.tokensToday} tokens. Calls: ${outcomes === '' ? 'none yet' : outcomes}.`}</Text>
      {edition.name === 'default' ? (
        <Text>
          This is Baton's default edition: it declares no egress, so no data leaves Atlassian. An OpenAI-compatible
          provider is in Baton's OpenAI edition, a separate app whose manifest declares egress to api.openai.com and
          *.openai.azure.com.
        </Text>
      ) : null}
    </Stack>
  );
}
