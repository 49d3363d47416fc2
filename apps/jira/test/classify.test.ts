import { idempotencyKey, verifyAudit } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { parseCharterYaml } from '../src/app/charter-yaml.ts';
import { IssueStateSchema, ISSUE_STATE_PROPERTY } from '@baton/jira/issue-state';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW, freezeTime, invokeResolver, kindsOf, saveCoreCharter, supCharter, ASSIST_ALL } from './fixtures.ts';
import { issueEvent, useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The router's classify rules in the app's charter: a keyword in the summary or description proposes a
// priority, a label or a component for an empty field; the app carries it out under the setField dial.

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const KEY = (issueKey: string, field: string, value: string) =>
  idempotencyKey({
    caseId: issueKey,
    pattern: 'router',
    rule: 'router.classify',
    threshold: `field:${field}=${value}`,
  });
const RULES = [
  { field: 'priority', label: 'High', keywords: ['invoice', 'refund'] },
  { field: 'labels', label: 'billing', keywords: ['invoice', 'refund', 'VAT'] },
  { field: 'components', label: 'Billing', keywords: ['invoice', 'refund'] },
];
const AUTOMATE = supCharter({
  routing: {
    classify: RULES,
  },
  autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'automate' } },
});
const fieldWrites = (key: string) =>
  h.sim.requests.filter((r) => r.method === 'PUT' && r.path === `/rest/api/3/issue/${key}`);
const stateOf = (key: string) => IssueStateSchema.parse(h.sim.store.get(key).properties.get(ISSUE_STATE_PROPERTY));
/** A new issue as a customer files it: Jira gave it the default priority (Medium), no labels, no components. */
const fileSup6 = (extra: Record<string, unknown> = {}) =>
  h.sim.store.insert({
    key: 'SUP-6',
    summary: 'Refund for a duplicate invoice',
    description: 'We were charged twice.',
    status: 'To Do',
    reporter: 'u-cust',
    created: new Date(NOW - 3_600_000).toISOString(),
    ...extra,
  });

describe('classify rules in the charter', () => {
  it("are core's routing.classify; rules the app cannot carry out are rejected by path", () => {
    const ok = parseCharterYaml(
      'version: 2\nscope: { projects: [SUP] }\nrouting:\n  classify:\n    - { field: components, label: Billing, keywords: [invoice] }\n',
    );
    expect(ok.ok && ok.value.routing.classify).toEqual([
      { field: 'components', label: 'Billing', keywords: ['invoice'], when: {} },
    ]);
    const bad = parseCharterYaml(
      'version: 2\nrouting:\n  classify:\n    - { field: status, label: Done, keywords: [fixed] }\n    - { field: labels, label: two words, keywords: [x] }\n    - { field: priority, label: High, keywords: [] }\n',
    );
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toEqual([
      expect.stringMatching(/^routing\.classify\.0\.field: .*priority.*labels.*components/),
      "routing.classify.1.label: a label cannot contain spaces: 'two words'",
      expect.stringMatching(/^routing\.classify\.2\.keywords: /),
    ]);
  });
});

describe('classified fields carried out under the setField dial', () => {
  it('a new issue: priority (Jira default, untouched), a label and a component are set once, audited; a redelivery writes nothing', async () => {
    await saveCoreCharter(AUTOMATE);
    fileSup6();
    const created = issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6', { atlassianId: 'u-cust' });
    const r = await onIssueEvent(created);
    expect(r).toMatchObject({
      handled: true,
      result: {
        outcomes: expect.arrayContaining([
          { key: KEY('SUP-6', 'priority', 'High'), outcome: 'executed' },
          { key: KEY('SUP-6', 'labels', 'billing'), outcome: 'executed' },
          { key: KEY('SUP-6', 'components', 'Billing'), outcome: 'executed' },
        ]),
      },
    });
    expect(h.sim.store.get('SUP-6')).toMatchObject({ priority: 'High', labels: ['billing'], components: ['Billing'] });
    expect(fieldWrites('SUP-6').map((w) => w.body)).toEqual(
      expect.arrayContaining([
        { fields: { priority: { name: 'High' } } },
        { fields: {}, update: { labels: [{ add: 'billing' }] } },
        { fields: {}, update: { components: [{ add: { name: 'Billing' } }] } },
      ]),
    );
    expect(h.sim.requests.filter((x) => x.path === '/rest/api/3/priority/search')).toHaveLength(1);

    await onIssueEvent(structuredClone(created));
    expect(fieldWrites('SUP-6')).toHaveLength(3);
    const storage = createBatonStorage();
    const rows = (await storage.queryAudit({ issueKey: 'SUP-6' })).entries.filter((e) => e.kind === 'setField');
    expect(rows.map((e) => e.outcome).sort()).toEqual(['executed', 'executed', 'executed']);
    expect(verifyAudit(await storage.readChain('SUP-6')).ok).toBe(true);
  });

  it('never overwrites a value a person set: a priority other than the default, a priority someone changed back to the default, labels already there', async () => {
    await saveCoreCharter(AUTOMATE);
    // SUP-8 was filed as Low (not the site default): the reporter chose it.
    h.sim.store.insert({
      key: 'SUP-8',
      summary: 'Refund for a duplicate invoice',
      status: 'To Do',
      priority: 'Low',
      reporter: 'u-cust',
      created: new Date(NOW - 3_600_000).toISOString(),
    });
    // SUP-6 is Medium (the default) again, but because Grace set it back: a person's choice.
    fileSup6({
      labels: ['vip'],
      histories: [
        {
          author: 'u-grace',
          created: new Date(NOW - 1_800_000).toISOString(),
          items: [{ field: 'priority', fromString: 'High', toString: 'Medium' }],
        },
      ],
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-8'));
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    expect(h.sim.store.get('SUP-8')).toMatchObject({ priority: 'Low', labels: ['billing'], components: ['Billing'] });
    expect(h.sim.store.get('SUP-6')).toMatchObject({ priority: 'Medium', labels: ['vip'], components: ['Billing'] });
    const written = (key: string) =>
      fieldWrites(key).flatMap((w) => [
        ...Object.keys((w.body as { fields: object }).fields),
        ...Object.keys((w.body as { update?: object }).update ?? {}),
      ]);
    expect([written('SUP-8').sort(), written('SUP-6')]).toEqual([['components', 'labels'], ['components']]);
    // The default is read for SUP-8 (untouched priority) only.
    expect(h.sim.requests.filter((x) => x.path === '/rest/api/3/priority/search')).toHaveLength(1);
  });

  it('a field off the edit screen or a priority the site lacks ends as failed with the reason; the others still land', async () => {
    await saveCoreCharter({
      ...AUTOMATE,
      routing: {
        classify: [
          { field: 'labels', label: 'billing', keywords: ['invoice', 'refund', 'VAT'] },
          { field: 'components', label: 'Billing', keywords: ['invoice', 'refund'] },
          { field: 'priority', label: 'Urgent', keywords: ['invoice', 'refund'] },
        ],
      },
    });
    fileSup6({ editableFields: ['summary', 'priority', 'labels', 'duedate'] });
    const r = await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    expect(r).toMatchObject({ handled: true });
    expect(h.sim.store.get('SUP-6')).toMatchObject({ priority: 'Medium', labels: ['billing'], components: [] });
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-6', outcome: 'failed' });
    expect(entries.map((e) => e.reason).sort()).toEqual([
      expect.stringContaining(
        "Jira refused: components: Field 'components' cannot be set. It is not on the appropriate screen, or unknown. Add the field to the project's edit screen",
      ),
      expect.stringContaining('Jira refused: priority: The priority selected is invalid.'),
    ]);
    expect(
      stateOf('SUP-6')
        .recent.filter((x) => x.kind === 'setField')
        .map((x) => x.outcome)
        .sort(),
    ).toEqual(['executed', 'failed', 'failed']);
  });

  it('under assist they are suggestions ("Set priority to High"); Accept sets it as the person; off drops them', async () => {
    await saveCoreCharter(
      supCharter({
        routing: {
          classify: RULES,
        },
      }),
    );
    fileSup6();
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-6'));
    expect(fieldWrites('SUP-6')).toHaveLength(0);
    const pending = stateOf('SUP-6').suggestions.filter((s) => kindsOf(s).includes('setField'));
    expect(pending.map((s) => s.summary).sort()).toEqual([
      'Add component Billing',
      'Add label billing',
      'Set priority to High',
    ]);
    const priority = pending.find((s) => s.summary === 'Set priority to High');
    const a = await invokeResolver(
      uiResolver as never,
      'answerSuggestion',
      { issueKey: 'SUP-6', suggestionKey: priority?.key, verdict: 'accept' },
      'u-ada',
    );
    expect(a).toMatchObject({ ok: true, data: { outcome: 'accepted' } });
    expect(h.sim.store.get('SUP-6').priority).toBe('High');
    expect(
      h.sim.store.changes
        .filter((c) => c.issueKey === 'SUP-6' && c.history?.items.some((i) => i.field === 'priority'))
        .map((c) => c.actor),
    ).toEqual(['u-ada']);

    freezeTime(NOW + 60_000);
    await saveCoreCharter({ ...AUTOMATE, autonomy: { default: 'off', kinds: { ...ASSIST_ALL, setField: 'off' } } });
    h.sim.store.insert({
      key: 'SUP-7',
      summary: 'VAT refund',
      status: 'To Do',
      reporter: 'u-cust',
      created: new Date(NOW).toISOString(),
    });
    await onIssueEvent(issueEvent(h.sim, 'avi:jira:created:issue', 'SUP-7'));
    expect(fieldWrites('SUP-7')).toHaveLength(0);
    expect(stateOf('SUP-7').suggestions.filter((s) => kindsOf(s).includes('setField'))).toEqual([]);
    const { entries } = await createBatonStorage().queryAudit({ issueKey: 'SUP-7' });
    expect(entries.filter((e) => e.kind === 'setField').map((e) => e.outcome)).toEqual([
      'dropped',
      'dropped',
      'dropped',
    ]);
  });
});
