import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JiraClient } from '@baton/jira';
import { describe, expect, it } from 'vitest';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { readIssue } from '../src/app/read-issue.ts';
import { watchdogDecisions } from '../src/app/watchdog-rules.ts';
import { ASSIST_ALL, coreCharter, slaGoal, supCharter } from './fixtures.ts';

// Core's escalation ladders in the app's charter: steps at a share of an SLA goal consumed or after
// idle business time, nudging the owner or notifying the lead; run by core's watchdog.

const recorded = (): JiraClient =>
  ({
    getIssue: async () =>
      JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'jira-to-matrix-issue.json'), 'utf8')) as unknown,
  }) as unknown as JiraClient;
// Monday 24 December 2018, 12:00 UTC: the recorded issue (Highest, assigned) is past its 5-day target
// and has been idle five days.
const NOW = Date.UTC(2018, 11, 24, 12, 0);
const OWNER = '5b912f5c8a96e82b9549361c';
/** Project BBCOM: nudges and escalations carried out, a five-business-day resolution goal for Highest. */
const base = supCharter({
  scope: { projects: ['BBCOM'] },
  slaGoals: [slaGoal('resolution', '5d', { when: { priority: ['Highest'] } })],
  autonomy: {
    default: 'off',
    kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
  },
});

describe('escalation ladders in the app charter', () => {
  it("core's watchdog takes the highest crossed step: past the breach it notifies the lead, not the owner", async () => {
    const charter = coreCharter({
      ...base,
      escalation: {
        ladders: [
          {
            id: 'resolution',
            goal: 'resolution',
            steps: [
              { slaConsumed: 0.5, do: 'nudge-owner', message: 'half gone' },
              { slaConsumed: 1, do: 'notify-lead', message: '{case}: {goal}', target: 'u-lead' },
            ],
          },
        ],
      },
    });
    const issue = await readIssue(recorded(), 'BBCOM-1398', charter);
    const ladder = watchdogDecisions(issue, [], charter, NOW).filter((d) => d.rule === 'watchdog.ladder');
    expect(ladder.map((d) => d.actions)).toEqual([
      [{ kind: 'escalate', to: 'u-lead', message: 'BBCOM-1398: resolution breached by 8d28m' }],
    ]);
    expect(ladder[0]?.reason).toMatch(/escalation ladder resolution step 2 \(notify-lead\)/);
    // Without the ladder, nobody but the owner hears of it.
    const plain = watchdogDecisions(issue, [], coreCharter(base), NOW);
    expect(plain.every((d) => d.actions.every((a) => a.kind === 'notify' && a.to === OWNER))).toBe(true);
    expect(plain.some((d) => d.rule === 'watchdog.ladder')).toBe(false);
  });

  it('an idle step nudges the owner once the issue has sat long enough in its status', async () => {
    const ladders = [
      { id: 'stalled', steps: [{ idle: '6d', do: 'nudge-owner' as const, message: '{case} idle {idle}' }] },
    ];
    const idleFive = await readIssue(recorded(), 'BBCOM-1398', coreCharter({ ...base, escalation: { ladders } }));
    const at = (d: string) =>
      watchdogDecisions(
        idleFive,
        [],
        coreCharter({
          ...base,
          escalation: { ladders: [{ ...ladders[0]!, steps: [{ ...ladders[0]!.steps[0]!, idle: d }] }] },
        }),
        NOW,
      );
    expect(at('6d').filter((d) => d.rule === 'watchdog.ladder')).toEqual([]);
    expect(
      at('2d')
        .filter((d) => d.rule === 'watchdog.ladder')
        .map((d) => d.actions.map((a) => [a.kind, a.kind === 'notify' ? a.to : null])),
    ).toEqual([[['notify', OWNER]]]);
  });

  it('rejects ladders that cannot work, each problem with its path', () => {
    const r = parseCharterYaml(
      [
        'version: 2',
        'slaGoals: [{ id: resolution, target: 3d }]',
        'escalation:',
        '  ladders:',
        '    - id: a',
        '      goal: resolve',
        '      steps: [{ slaConsumed: 0.5, do: nudge-owner, message: half }]',
        '    - id: b',
        '      steps: [{ slaConsumed: 0.5, do: notify-lead, message: half }, { idle: 2d, do: nudge-owner, message: idle }]',
        '',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    // Core's problems, then the app's (a lead step that reaches nobody: no target, no team with a lead).
    expect(r.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['escalation.ladders.0.goal', "unknown SLA goal 'resolve'"],
      ['escalation.ladders.1.steps.0.slaConsumed', 'expected the ladder to name its SLA goal'],
      [
        'escalation.ladders.1.steps.0.target',
        'notify-lead needs a person: set target, or give a team in routing.teams a lead',
      ],
    ]);
    const both = parseCharterYaml(
      'version: 2\nescalation: { ladders: [{ id: a, steps: [{ idle: 1d, slaConsumed: 0.5, do: nudge-owner, message: x }] }] }',
    );
    expect(both.ok ? [] : both.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['escalation.ladders.0.steps.0', 'expected exactly one threshold: slaConsumed or idle'],
      ['escalation.ladders.0.steps.0.slaConsumed', 'expected the ladder to name its SLA goal'],
    ]);
  });
});
