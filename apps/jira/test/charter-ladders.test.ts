import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JiraClient } from '@baton/jira';
import { describe, expect, it } from 'vitest';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { readIssue } from '../src/app/read-issue.ts';
import type { CharterInput } from '../src/contracts/charter-migration/jira-app-v1.ts';
import { watchdogDecisions } from '../src/app/watchdog-rules.ts';
import { appCharter } from './fixtures.ts';

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
const base: CharterInput = {
  projects: ['BBCOM'],
  autonomy: { nudge: 'automate', escalate: 'automate' },
  slaGoals: [{ name: 'resolution', priorities: ['Highest'], target: '5d' }],
};

describe('escalation ladders in the app charter', () => {
  it("compile into core's ladders: idle in minutes of the app's calendar, notify-lead aimed at the lead", () => {
    const app = appCharter({
      ...base,
      escalation: {
        lead: 'u-lead',
        ladders: [
          {
            name: 'resolution',
            goal: 'resolution',
            steps: [
              { slaConsumed: 0.5, do: 'nudge-owner', message: 'half of {goal} gone' },
              { slaConsumed: 1, do: 'notify-lead', message: '{case} breached' },
            ],
          },
          { name: 'stalled', steps: [{ idle: '1d', do: 'notify-lead', to: 'u-other' }] },
        ],
      },
    });
    expect(app.escalation.ladders).toEqual([
      {
        id: 'resolution',
        goal: 'resolution',
        steps: [
          { slaConsumed: 0.5, do: 'nudge-owner', message: 'half of {goal} gone' },
          { slaConsumed: 1, do: 'notify-lead', message: '{case} breached', target: 'u-lead' },
        ],
      },
      {
        id: 'stalled',
        steps: [{ idle: '1d', do: 'notify-lead', message: expect.stringContaining('{case}'), target: 'u-other' }],
      },
    ]);
  });

  it("core's watchdog takes the highest crossed step: past the breach it notifies the lead, not the owner", async () => {
    const charter = appCharter({
      ...base,
      escalation: {
        lead: 'u-lead',
        ladders: [
          {
            name: 'resolution',
            goal: 'resolution',
            steps: [
              { slaConsumed: 0.5, do: 'nudge-owner', message: 'half gone' },
              { slaConsumed: 1, do: 'notify-lead', message: '{case}: {goal}' },
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
    const plain = watchdogDecisions(issue, [], appCharter(base), NOW);
    expect(plain.every((d) => d.actions.every((a) => a.kind === 'notify' && a.to === OWNER))).toBe(true);
    expect(plain.some((d) => d.rule === 'watchdog.ladder')).toBe(false);
  });

  it('an idle step nudges the owner once the issue has sat long enough in its status', async () => {
    const ladders = [
      { name: 'stalled', steps: [{ idle: '6d', do: 'nudge-owner' as const, message: '{case} idle {idle}' }] },
    ];
    const idleFive = await readIssue(recorded(), 'BBCOM-1398', appCharter({ ...base, escalation: { ladders } }));
    const at = (d: string) =>
      watchdogDecisions(
        idleFive,
        [],
        appCharter({
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
