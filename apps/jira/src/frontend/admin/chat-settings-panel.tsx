import { Button, DynamicTable, Label, SectionMessage, Select, Stack, Text, Textfield, UserPicker } from '@forge/react';
import { useEffect, useState } from 'react';
import type { ChatSettings } from '../../contracts/chat-settings.ts';
import { callResolver, useResolver } from '../use-resolver.ts';

type Kind = keyof ChatSettings['deliver'];
const KINDS: readonly { value: Kind; label: string }[] = [
  { value: 'nudge', label: "Watchdog nudges: a DM to the issue's owner" },
  { value: 'question', label: 'Missing-information questions to the reporter' },
  { value: 'approval', label: 'Suggestions to approve or override' },
  { value: 'report', label: 'The daily report to the channel' },
  { value: 'update', label: "The concierge's internal updates to the channel" },
];

/**
 * Slack (the Slack edition): whether a workspace is connected, which of Baton's messages go there instead
 * of Jira comments, the report channel, the approver and who is linked. The bot token and signing secret
 * are write-only: the page never receives them, only whether each is set.
 */
export function ChatSettingsPanel() {
  const [reload, setReload] = useState(0);
  const loaded = useResolver('getChatSettings', {}, reload);
  const [draft, setDraft] = useState<ChatSettings | null>(null);
  const [channel, setChannel] = useState('');
  const [hour, setHour] = useState('');
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [linking, setLinking] = useState<string | null>(null);

  useEffect(() => {
    if (loaded.status !== 'ok') return;
    setDraft(loaded.data.settings);
    setChannel(loaded.data.settings.channel ?? '');
    setHour(String(loaded.data.settings.reportHourUtc));
  }, [loaded]);

  if (loaded.status === 'loading' || draft === null) return <Text>Loading the Slack settings…</Text>;
  if (loaded.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{loaded.message}</Text>
      </SectionMessage>
    );
  const status = loaded.data;
  if (status.surface === null)
    return (
      <SectionMessage appearance="information">
        <Text>
          This is Baton's default edition: it speaks in Jira only and declares no egress. Nudges, questions, approvals
          and the daily report in Slack are in Baton's Slack edition.
        </Text>
      </SectionMessage>
    );

  const done = (r: { status: string; message?: string }, text: string) => {
    const ok = r.status === 'ok';
    setNotice({ ok, text: ok ? text : (r.message ?? 'not saved') });
    if (ok) setReload((n) => n + 1);
  };
  const save = async () => {
    const r = await callResolver('saveChatSettings', {
      ...draft,
      channel: channel.trim() === '' ? null : channel.trim(),
      reportHourUtc: Number(hour),
    });
    done(r, 'Saved the Slack settings.');
  };
  const saveSecrets = async () => {
    const r = await callResolver('setChatSecrets', {
      ...(token.trim() === '' ? {} : { botToken: token.trim() }),
      ...(secret.trim() === '' ? {} : { signingSecret: secret.trim() }),
    });
    // The fields are emptied either way: a credential is never kept on the page.
    setToken('');
    setSecret('');
    done(r, 'Saved the Slack credentials.');
  };
  const link = async () => {
    if (linking === null) return;
    const r = await callResolver('linkChatPerson', { accountId: linking });
    if (r.status === 'ok' && !r.data.link.linked)
      setNotice({ ok: false, text: `Not linked: ${r.data.link.why ?? ''}` });
    else done(r, `Linked ${linking} to the Slack user with their email.`);
  };
  const connected = status.botToken.set && status.signingSecret.set;

  return (
    <Stack space="space.200">
      {notice ? (
        <SectionMessage appearance={notice.ok ? 'success' : 'error'}>
          <Text>{notice.text}</Text>
        </SectionMessage>
      ) : null}
      <Text>
        {connected
          ? 'Connected: the bot token and the signing secret are stored.'
          : `Not connected yet: ${status.botToken.set ? '' : 'the bot token'}${!status.botToken.set && !status.signingSecret.set ? ' and ' : ''}${status.signingSecret.set ? '' : 'the signing secret'} missing.`}
      </Text>
      <Label labelFor="chat.botToken">Bot token (xoxb-…; write-only)</Label>
      <Textfield
        id="chat.botToken"
        name="chat.botToken"
        type="password"
        value={token}
        onChange={(e) => setToken(e.target.value)}
      />
      <Label labelFor="chat.signingSecret">Signing secret (write-only)</Label>
      <Textfield
        id="chat.signingSecret"
        name="chat.signingSecret"
        type="password"
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
      />
      <Button onClick={() => void saveSecrets()}>Save Slack credentials</Button>

      <Label labelFor="chat.deliver">Send these in Slack (the rest stay in Jira)</Label>
      <Select
        inputId="chat.deliver"
        name="chat.deliver"
        isMulti
        value={KINDS.filter((k) => draft.deliver[k.value])}
        options={[...KINDS]}
        onChange={(list: readonly { value: Kind }[] | null) => {
          const on = new Set((list ?? []).map((k) => k.value));
          setDraft({
            ...draft,
            deliver: {
              nudge: on.has('nudge'),
              question: on.has('question'),
              approval: on.has('approval'),
              report: on.has('report'),
              update: on.has('update'),
            },
          });
        }}
      />
      <Label labelFor="chat.channel">Channel for the daily report and updates (its id, C…)</Label>
      <Textfield id="chat.channel" name="chat.channel" value={channel} onChange={(e) => setChannel(e.target.value)} />
      <Label labelFor="chat.reportHourUtc">Post the report from this hour (UTC)</Label>
      <Textfield
        id="chat.reportHourUtc"
        name="chat.reportHourUtc"
        type="number"
        value={hour}
        onChange={(e) => setHour(e.target.value)}
      />
      <UserPicker
        key={draft.approver ?? ''}
        label="Approver of suggestions in Slack"
        name="chat.approver"
        {...(draft.approver === null ? {} : { defaultValue: draft.approver })}
        placeholder="Search people"
        onChange={(u: { id?: string } | null | undefined) => setDraft({ ...draft, approver: u?.id ? u.id : null })}
      />
      <Text>{draft.approver === null ? 'Nobody approves in Slack.' : `Account id: ${draft.approver}`}</Text>
      <Button appearance="primary" onClick={() => void save()}>
        Save Slack settings
      </Button>

      <UserPicker
        key={`link-${reload}`}
        label="Link a person by their email"
        name="chat.linkPerson"
        placeholder="Search people"
        onChange={(u: { id?: string } | null | undefined) => setLinking(u?.id ? u.id : null)}
      />
      <Button isDisabled={linking === null} onClick={() => void link()}>
        Link by email
      </Button>
      <Text>{`Linked people: ${status.links.length}`}</Text>
      {status.links.length === 0 ? null : (
        <DynamicTable
          head={{
            cells: [
              { key: 'slack', content: 'Slack user' },
              { key: 'jira', content: 'Jira account' },
            ],
          }}
          rows={status.links.map((l) => ({
            key: l.userId,
            cells: [
              { key: 'slack', content: l.userId },
              { key: 'jira', content: l.accountId },
            ],
          }))}
        />
      )}
    </Stack>
  );
}
