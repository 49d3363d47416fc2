import { Heading, SectionMessage, Stack, Text } from '@forge/react';
import type { PatternTrust } from '@baton/core';
import { useResolver } from '../use-resolver.ts';

const percent = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

/** One line of trust: acceptance, overrides, and drift (what people finally did, against the agent). */
export function trustLine(t: PatternTrust): string {
  const reasons = Object.entries(t.overrideReasons)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return [
    `${t.decisions} decisions, ${t.acted} acted`,
    `accepted ${percent(t.acceptanceRate)} (${t.accepted} accepted, ${t.overridden} overridden${reasons === '' ? '' : `: ${reasons}`})`,
    `drift ${percent(t.drift)} (${t.drifted} of ${t.finals} final actions differ; ${t.changedAfterAct} changed after the agent acted)`,
  ].join('; ');
}

/**
 * The project's trust (resolver `getTrust`, for anyone who may browse the project): per pattern, per rule
 * and per week, with drift from what people really did after an override or after the agent acted.
 */
export function TrustPanel({ projectKey, weeks = 8 }: { projectKey: string; weeks?: number }) {
  const trust = useResolver('getTrust', { projectKey, weeks });
  if (trust.status === 'loading') return <Text>Loading trust…</Text>;
  if (trust.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{trust.message}</Text>
      </SectionMessage>
    );
  const t = trust.data;
  const patterns = Object.entries(t.patterns);
  return (
    <Stack space="space.150">
      <Text>{`${t.projectKey}: ${t.rows} audit rows since ${new Date(t.from).toISOString().slice(0, 10)}${t.partial ? ' (the oldest left out)' : ''}.`}</Text>
      <Heading size="small">By pattern</Heading>
      {patterns.length === 0 ? (
        <Text>No decisions yet.</Text>
      ) : (
        patterns.map(([pattern, p]) => <Text key={pattern}>{`${pattern}: ${trustLine(p)}`}</Text>)
      )}
      <Heading size="small">By rule</Heading>
      {t.rules.length === 0 ? (
        <Text>No decisions yet.</Text>
      ) : (
        t.rules.map((r) => (
          <Text key={`${r.rule}|${r.source}`}>
            {`${r.rule}${r.source === 'model' ? ", a model's guesses" : ''} (${r.pattern}): ${trustLine(r.trust)}`}
          </Text>
        ))
      )}
      <Heading size="small">By week</Heading>
      {t.weeks.map((w) => {
        const lines = Object.entries(w.patterns).map(
          ([pattern, p]) => `${pattern} accepted ${percent(p.acceptanceRate)}, drift ${percent(p.drift)}`,
        );
        return (
          <Text key={w.week}>{`Week of ${w.week}: ${lines.length === 0 ? 'no decisions' : lines.join('; ')}`}</Text>
        );
      })}
    </Stack>
  );
}
