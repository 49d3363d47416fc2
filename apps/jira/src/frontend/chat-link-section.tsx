import { Button, Heading, SectionMessage, Stack, Text } from '@forge/react';
import { useState } from 'react';
import type { ContractOutput } from '../contracts/resolver-contracts.ts';
import { callResolver, useResolver } from './use-resolver.ts';

type ChatLink = ContractOutput<'getChatLink'>;

/**
 * The signed-in person's own Slack link, in the issue panel (the Slack edition, once an admin connected a
 * workspace; nothing otherwise): linked, or a button for a one-time code to send the bot in a direct message,
 * where Jira does not share their email for the admin to link them by it. docs/adr/0019.
 */
export function ChatLinkSection({ issueKey }: { issueKey: string }) {
  const loaded = useResolver('getChatLink', { issueKey });
  const [issued, setIssued] = useState<ChatLink | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (loaded.status !== 'ok' || loaded.data.surface === null) return null;
  const link = issued ?? loaded.data;
  const ask = async () => {
    const r = await callResolver('issueChatLinkCode', { issueKey });
    if (r.status === 'ok') {
      setIssued(r.data);
      setError(null);
    } else if (r.status === 'error') setError(r.message);
  };
  return (
    <Stack space="space.100">
      <Heading size="small">Baton in Slack</Heading>
      {link.linked ? (
        <Text>
          Your Slack account is linked: Baton's nudges and questions for you arrive there, and you can answer them.
        </Text>
      ) : link.code === null ? (
        <Stack space="space.050">
          <Text>Link your Slack account to get Baton's nudges in Slack and answer them there.</Text>
          <Button onClick={() => void ask()}>Get a link code</Button>
        </Stack>
      ) : (
        <Text>{`Send ${link.code} to Baton in a direct message in Slack. The code works once, until ${new Date(
          link.expiresAt ?? 0,
        )
          .toISOString()
          .slice(11, 16)} UTC.`}</Text>
      )}
      {error === null ? null : (
        <SectionMessage appearance="error">
          <Text>{error}</Text>
        </SectionMessage>
      )}
    </Stack>
  );
}
