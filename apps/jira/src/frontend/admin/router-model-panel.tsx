import { Heading, SectionMessage, Stack, Text } from '@forge/react';
import type { ContractOutput } from '../../contracts/resolver-contracts.ts';
import { useResolver } from '../use-resolver.ts';

type View = ContractOutput<'getRouterModel'>;
type Target = NonNullable<View['model']>['targets'][number];

const percent = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);
const day = (ms: number | null): string => (ms === null ? '?' : new Date(ms).toISOString().slice(0, 10));
const utc = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "act line 0.82: covers 40% of held-out issues at 95% precision", or why there is none. */
function lineText(name: string, l: Target['act']): string {
  if (l.line === null) return `no ${name} line (no confidence reached its precision on held-out issues)`;
  const at = `${name} line ${l.line.toFixed(2)}`;
  return l.measured === null
    ? `${at} (not measured: trained before coverage was recorded)`
    : `${at}: covers ${percent(l.measured.coverage)} of held-out issues at ${percent(l.measured.precision)} precision`;
}

export function targetLine(t: Target): string {
  const period = t.trainedOn.from === null ? '' : `, created ${day(t.trainedOn.from)} to ${day(t.trainedOn.to)}`;
  return [
    `${t.target} (${t.kind}, ${t.labels} labels): ${t.trainedOn.examples} issues${t.trainedOn.overrides === 0 ? '' : ` with ${t.trainedOn.overrides} overrides`}${period}`,
    `held out ${t.heldOut}: top-1 accuracy ${percent(t.accuracy)}, calibration error ${t.ece.toFixed(3)}`,
    lineText('act', t.act),
    lineText('suggest', t.suggest),
  ].join('; ');
}

/**
 * The project's router model for the admin (resolver `getRouterModel`): when it was trained and on
 * what, each model's measured accuracy and the coverage at the lines the gate uses, and the last run.
 */
export function RouterModelPanel({ projectKey }: { projectKey: string }) {
  const view = useResolver('getRouterModel', { projectKey });
  if (view.status === 'loading') return <Text>Loading the router model…</Text>;
  if (view.status === 'error')
    return (
      <SectionMessage appearance="error">
        <Text>{view.message}</Text>
      </SectionMessage>
    );
  const { model, run } = view.data;
  return (
    <Stack space="space.150">
      <Heading size="small">Router model</Heading>
      {model === null ? (
        <Text>{`No router model for ${projectKey} yet: the router uses the charter's rules until a training on the project's resolved issues succeeds.`}</Text>
      ) : (
        <Stack space="space.050">
          <Text>{`Trained ${utc(model.trainedAt)} on ${model.examples} resolved issues${model.overrides === 0 ? '' : ` and ${model.overrides} overrides`}; skills history of ${model.people} people.`}</Text>
          {model.targets.map((t) => (
            <Text key={t.modelId}>{targetLine(t)}</Text>
          ))}
        </Stack>
      )}
      {run === null ? (
        <Text>No training has run yet.</Text>
      ) : (
        <Text>{`Last training (${run.reason}): ${run.status}, ${run.examples} issues read, started ${utc(run.startedAt)}, updated ${utc(run.updatedAt)}${run.error === undefined ? '' : ` — ${run.error}`}.`}</Text>
      )}
    </Stack>
  );
}
