import { Heading, Inline, Link, Lozenge, SectionMessage, Stack, Text } from '@forge/react';
import type { ContractOutput } from '../contracts/resolver-contracts.ts';
import { useResolver } from './use-resolver.ts';
import { whereFrom } from '@baton/jira/issue-state';

type Packet = ContractOutput<'getHandoffPacket'>['packet'];
type People = Readonly<Record<string, string>>;

const nameOf = (people: People, id: string | null): string => (id === null ? 'nobody' : (people[id] ?? id));

/** A statement with its author and source: `Use the EU bucket — Ada Lovelace, comment 3`. */
const said = (people: People, s: { text: string; by: string | null; evidence: string }): string =>
  `${s.text} — ${[s.by === null ? undefined : nameOf(people, s.by), whereFrom(s.evidence)].filter(Boolean).join(', ')}`;

function Section({ title, lines }: { title: string; lines: readonly string[] }) {
  if (lines.length === 0) return null;
  return (
    <Stack space="space.050">
      <Heading size="xsmall">{title}</Heading>
      {lines.map((l, i) => (
        <Text key={`${title}-${i}`}>{l}</Text>
      ))}
    </Stack>
  );
}

/** The clerk's handoff packet: what the next person needs, each item with where it came from, and the checklist to leave the current status. */
export function PacketView({ packet, people }: { packet: Packet; people: People }) {
  const readiness = packet.readiness;
  return (
    <Stack space="space.100">
      <Text>{packet.summary.text}</Text>
      <Text>{`Next owner: ${nameOf(people, packet.nextOwner.who)} (${packet.nextOwner.reason})`}</Text>
      <Section title="Decisions" lines={packet.decisions.map((d) => said(people, d))} />
      <Section
        title="Open questions"
        lines={packet.openQuestions.map(
          (q) =>
            `${said(people, q)}${q.addressedTo.length === 0 ? '' : ` (for ${q.addressedTo.map((a) => nameOf(people, a)).join(', ')})`}`,
        )}
      />
      <Section title="Commitments" lines={packet.commitments.map((c) => said(people, c))} />
      {packet.links.length === 0 ? null : (
        <Stack space="space.050">
          <Heading size="xsmall">Links</Heading>
          {packet.links.map((l) =>
            l.kind === 'url' ? (
              <Inline key={`${l.target}-${l.evidence}`} space="space.050">
                <Link href={l.target}>{l.label ?? l.target}</Link>
                <Text>{`— ${whereFrom(l.evidence)}`}</Text>
              </Inline>
            ) : (
              <Text key={`${l.target}-${l.evidence}`}>{`${l.label ?? l.target} — ${whereFrom(l.evidence)}`}</Text>
            ),
          )}
        </Stack>
      )}
      <Section
        title="Stakeholders"
        lines={packet.stakeholders.map((s) => `${nameOf(people, s.who)}: ${s.roles.join(', ')}`)}
      />
      <Section
        title="Risks"
        lines={packet.risks.map(
          (r) =>
            `${r.severity}: ${r.message}${r.evidence.length === 0 ? '' : ` — ${r.evidence.map(whereFrom).join(', ')}`}`,
        )}
      />
      {readiness === null ? null : (
        <Stack space="space.050">
          <Heading size="xsmall">{`Ready to leave ${readiness.state ?? 'this status'}?`}</Heading>
          {readiness.items.length === 0 ? <Text>Nothing is required.</Text> : null}
          {readiness.items.map((i) => (
            <Inline key={i.requirement} space="space.100">
              <Lozenge appearance={i.status === 'present' ? 'success' : 'moved'}>
                {i.status === 'present' ? 'Done' : 'Missing'}
              </Lozenge>
              <Text>{`${i.requirement} — ${i.status === 'present' ? `from ${whereFrom(i.detail)}` : i.detail}`}</Text>
            </Inline>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The packet section of the issue panel, read when the panel opens (and again after an answer). */
export function HandoffPacketSection({ issueKey, version }: { issueKey: string; version: number }) {
  const loaded = useResolver('getHandoffPacket', { issueKey }, version);
  if (loaded.status === 'loading') return <Text>Reading the handoff packet…</Text>;
  if (loaded.status === 'error')
    return (
      <SectionMessage appearance="warning">
        <Text>{`The handoff packet could not be read: ${loaded.message}`}</Text>
      </SectionMessage>
    );
  return <PacketView packet={loaded.data.packet} people={loaded.data.people} />;
}
