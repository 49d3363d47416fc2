import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { onIssueEvent, uiResolver } from '../src/index.ts';
import { IssueEventSchema } from '../src/contracts/product-event.ts';
import { TRIGGER_FILTER_EXPRESSION, whyIgnored } from '../src/app/ignored-event.ts';
import { PRODUCT_EVENTS } from '../src/product-events.ts';
import { charterToYaml } from '../src/app/charter-yaml.ts';
import { invokeResolver, saveCoreCharter, supCharter, coreCharter } from './fixtures.ts';
import {
  deliverProductEvent,
  evaluateFilterExpression,
  issueEvent,
  MANIFEST,
  useForgeHarness,
} from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

const trigger = (
  parse(readFileSync(MANIFEST, 'utf8')) as {
    modules: { trigger: { key: string; filter: { ignoreSelf?: boolean; expression?: string; onError?: string } }[] };
  }
).modules.trigger.find((t) => t.key === 'baton-issue-events');

/** What an event costs the platform: KVS calls and Jira requests. */
const cost = () => ({ kvs: h.kvs.calls.length, jira: h.sim.requests.length });

describe('the trigger filter (manifest.yml)', () => {
  it('is the expression the code documents, fails open, and keeps ignoreSelf', () => {
    expect(trigger?.filter).toEqual({
      ignoreSelf: true,
      expression: TRIGGER_FILTER_EXPRESSION,
      onError: 'RECEIVE_AND_LOG',
    });
  });

  it('drops an event only when the handler would ignore it too (generated events)', () => {
    const author = fc.option(fc.constantFrom('app', 'atlassian', 'customer'), { nil: undefined });
    const items = fc.option(
      fc.array(fc.record({ field: fc.constantFrom('Rank', 'status', 'assignee', 'summary') }), { maxLength: 4 }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(fc.constantFrom(...PRODUCT_EVENTS), author, items, (eventType, accountType, changelogItems) => {
        const event = {
          eventType,
          issue: { id: '1', key: 'SUP-1', fields: { project: { key: 'SUP' } } },
          ...(accountType === undefined ? {} : { comment: { id: '9', author: { accountId: 'x', accountType } } }),
          ...(changelogItems === undefined ? {} : { changelog: { id: '5', items: changelogItems } }),
        };
        const kept = evaluateFilterExpression(TRIGGER_FILTER_EXPRESSION, event);
        const ignored = whyIgnored(IssueEventSchema.parse(event));
        expect(kept).toBe(ignored === null);
      }),
      { numRuns: 300 },
    );
  });

  it("does not invoke the app for a board's rank change or another app's comment; it does for a status change", async () => {
    await saveCoreCharter(supCharter());
    const rank = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2', {
      changelogItems: [{ field: 'Rank', fromString: null, toString: 'Ranked higher' }],
    });
    const before = cost();
    expect(await deliverProductEvent(onIssueEvent, rank)).toEqual({ delivered: false, why: 'filter expression' });
    const byApp = issueEvent(h.sim, 'avi:jira:commented:issue', 'SUP-2', {
      comment: { id: '77', author: { accountId: 'other-app', accountType: 'app' } },
    });
    expect(await deliverProductEvent(onIssueEvent, byApp)).toMatchObject({ delivered: false });
    expect(cost()).toEqual(before);
    const status = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2', {
      changelogItems: [{ field: 'status', fromString: 'To Do', toString: 'In Progress' }],
    });
    expect(await deliverProductEvent(onIssueEvent, status)).toMatchObject({
      delivered: true,
      outcome: { kind: 'returned', result: { handled: true } },
    });
  });

  it('follows onError: an expression that fails is delivered with RECEIVE_AND_LOG and dropped by default', async () => {
    const withFilter = (filter: Record<string, unknown>): string => {
      const m = parse(readFileSync(MANIFEST, 'utf8')) as { modules: { trigger: { key: string; filter: unknown }[] } };
      for (const t of m.modules.trigger) if (t.key === 'baton-issue-events') t.filter = filter;
      const path = join(mkdtempSync(join(tmpdir(), 'baton-manifest-')), 'manifest.yml');
      writeFileSync(path, stringify(m));
      return path;
    };
    const broken = 'event.issue.fields.nothing.deeper == 1';
    const event = issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2');
    const handler = async () => 'invoked';
    expect(await deliverProductEvent(handler, event, { manifest: withFilter({ expression: broken }) })).toMatchObject({
      delivered: false,
      why: expect.stringMatching(/^filter error/),
    });
    expect(
      await deliverProductEvent(handler, event, {
        manifest: withFilter({ expression: broken, onError: 'RECEIVE_AND_LOG' }),
      }),
    ).toMatchObject({ delivered: true, outcome: { kind: 'returned', result: 'invoked' } });
    expect(() => evaluateFilterExpression('event.x = 1', {})).toThrow(/does not evaluate/);
  });
});

describe('early exit', () => {
  it('an event the app ignores from its payload costs no storage and no Jira call, even in a cold runtime', async () => {
    const before = cost();
    const r = await onIssueEvent(
      issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2', {
        changelogItems: [{ field: 'Rank', fromString: null, toString: 'Ranked higher' }],
      }),
    );
    expect(r).toEqual({ handled: false, why: 'only Rank changed' });
    expect(cost()).toEqual(before);
  });

  it('events from a project out of scope exit without a storage read once the runtime knows the scope', async () => {
    await saveCoreCharter(supCharter({ scope: { projects: ['OPS'] } }));
    const first = await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'));
    expect(first).toEqual({ handled: false, why: 'project SUP not in scope' });
    const before = cost();
    for (const key of ['SUP-1', 'SUP-3', 'SUP-4'])
      expect(await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', key))).toMatchObject({ handled: false });
    expect(cost()).toEqual(before);
  });

  it('a charter saved on the admin page in the runtime is seen by the next event at once', async () => {
    await saveCoreCharter(supCharter({ scope: { projects: ['OPS'] } }));
    expect(await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'))).toMatchObject({ handled: false });
    const yaml = charterToYaml(coreCharter(supCharter()));
    const saved = await invokeResolver(
      uiResolver as never,
      'saveCharter',
      { scope: 'global', yaml, expectedVersion: 1 },
      'u-grace',
    );
    expect(saved).toMatchObject({ ok: true });
    expect(await onIssueEvent(issueEvent(h.sim, 'avi:jira:updated:issue', 'SUP-2'))).toMatchObject({ handled: true });
  });
});
