import { Inline, Lozenge, Text } from '@forge/react';
import type { SlaClock } from '@baton/jira/issue-state';

const APPEARANCE = {
  'on-track': 'success',
  'at-risk': 'moved',
  breached: 'removed',
  paused: 'default',
  met: 'success',
  'not-started': 'default',
} as const satisfies Record<SlaClock['state'], string>;
const hours = (ms: number): string => `${Math.round(ms / 360_000) / 10}h`;

/** One SLA clock: goal, state and business time used of the target. */
export function SlaBadge({ clock }: { clock: SlaClock }) {
  return (
    <Inline space="space.100">
      <Lozenge appearance={APPEARANCE[clock.state]}>{`${clock.goal}: ${clock.state}`}</Lozenge>
      <Text>{`${hours(clock.elapsedMs)} of ${hours(clock.targetMs)} business time`}</Text>
    </Inline>
  );
}
