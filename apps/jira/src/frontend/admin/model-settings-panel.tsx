import { Button, Label, RadioGroup, SectionMessage, Select, Stack, Text, Textfield } from '@forge/react';
import { useEffect, useState } from 'react';
import { FORGE_LLM_MODELS } from '../../contracts/model-settings.ts';
import type { ModelSettings } from '../../contracts/model-settings.ts';
import { callResolver, useResolver } from '../use-resolver.ts';

const PROVIDER_LABEL = { none: 'None: the rules\' templates (default)', 'forge-llm': 'Forge LLM: Atlassian-hosted Claude, no data leaves Atlassian' } as const;

/**
 * The site's language model for wording the concierge's drafts. A model rewords text the rules
 * wrote; decisions, recipients and audiences never depend on it, and an unusable answer falls back
 * to the template. Shows the day's tokens and the calls by outcome (counts only).
 */
export function ModelSettingsPanel() {
  const [reload, setReload] = useState(0);
  const loaded = useResolver('getModelSettings', {}, reload);
  const [draft, setDraft] = useState<ModelSettings | null>(null);
  const [tokens, setTokens] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (loaded.status !== 'ok') return;
    setDraft(loaded.data.settings);
    setTokens(String(loaded.data.settings.dailyTokens));
  }, [loaded]);

  if (loaded.status === 'loading' || draft === null) return <Text>Loading the model settings…</Text>;
  if (loaded.status === 'error') return <SectionMessage appearance="error"><Text>{loaded.message}</Text></SectionMessage>;
  const { usage } = loaded.data;

  const save = async () => {
    const r = await callResolver('saveModelSettings', { ...draft, dailyTokens: Number(tokens) });
    if (r.status === 'ok') {
      setNotice({ ok: true, text: `Saved: drafts are worded by ${r.data.settings.provider === 'none' ? 'the rules' : r.data.settings.model}.` });
      setReload((n) => n + 1);
    } else if (r.status === 'error') setNotice({ ok: false, text: r.message });
  };
  const outcomes = Object.entries(usage.outcomes).map(([o, n]) => `${o} ×${n}`).join(', ');

  return (
    <Stack space="space.200">
      <Text>A model only rewords the concierge's drafts. Routing, nudges, escalations and approvals are decided by the charter's rules, with or without a model.</Text>
      {notice === null ? null : <SectionMessage appearance={notice.ok ? 'success' : 'error'}><Text>{notice.text}</Text></SectionMessage>}
      <Label labelFor="model.provider">Model</Label>
      <RadioGroup
        name="model.provider"
        value={draft.provider}
        options={(['none', 'forge-llm'] as const).map((p) => ({ name: 'model.provider', value: p, label: PROVIDER_LABEL[p] }))}
        onChange={(e) => setDraft({ ...draft, provider: e.target.value === 'forge-llm' ? 'forge-llm' : 'none' })}
      />
      {draft.provider === 'none' ? null : (
        <Stack space="space.100">
          <Label labelFor="model.model">Forge LLM model</Label>
          <Select inputId="model.model" name="model.model" value={{ label: draft.model, value: draft.model }} options={FORGE_LLM_MODELS.map((m) => ({ label: m, value: m }))} onChange={(o: { value: (typeof FORGE_LLM_MODELS)[number] } | null) => o && setDraft({ ...draft, model: o.value })} />
          <Label labelFor="model.dailyTokens">Tokens per day for this site (then drafts fall back to the templates)</Label>
          <Textfield id="model.dailyTokens" name="model.dailyTokens" type="number" value={tokens} onChange={(e) => setTokens(String(e.target.value ?? ''))} />
        </Stack>
      )}
      <Button appearance="primary" onClick={() => void save()}>Save model settings</Button>
      <Text>{`Today: ${usage.tokensToday} tokens. Calls: ${outcomes === '' ? 'none yet' : outcomes}.`}</Text>
      <Text>An OpenAI-compatible provider is not offered here: it needs egress from the app to a third party, which every installation would have to approve and which ends "Runs on Atlassian" for all of them.</Text>
    </Stack>
  );
}
