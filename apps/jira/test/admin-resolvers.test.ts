import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { uiResolver, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import type { AuditEntry } from '../src/contracts/audit.ts';
import { invokeResolver, NOW } from './fixtures.ts';
import { useForgeHarness, consumerEvent } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// The admin resolvers' contracts: valid input accepted, bad input rejected naming the field, and
// the Jira permission checked as the caller. u-grace administers the site; u-ada only works issues.
const ADMIN = 'u-grace';
const AGENT = 'u-ada';
const call = (name: string, payload: unknown, who: string = ADMIN) =>
  invokeResolver(uiResolver as never, name, payload, who);
const paths = (r: { ok: true } | { ok: false; error: object }): string[] =>
  r.ok
    ? []
    : (((r.error as { details?: unknown }).details as { path: (string | number)[] }[] | undefined) ?? []).map((i) =>
        i.path.join('.'),
      );
const data = <T>(r: { ok: boolean; data?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.data as T;
};

const SITE_YAML = [
  'version: 2',
  'scope: { projects: [SUP] }',
  'autonomy:',
  '  kinds: { notify: automate }',
  'slaGoals:',
  '  - id: resolve',
  '    target: 3d',
  '',
].join('\n');

let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

describe('getCharter', () => {
  it('returns the default charter with the site statuses pre-mapped, then the saved one', async () => {
    const first = data<{
      record: unknown;
      source: string;
      yaml: string;
      statuses: { name: string; category: string; phase: string }[];
    }>(await call('getCharter', { scope: 'global' }));
    expect(first.record).toBeNull();
    expect(first.source).toBe('default');
    // The default: core's charter, assist for every kind the app carries out.
    expect(parse(first.yaml)).toMatchObject({
      version: 2,
      autonomy: { kinds: { assign: 'assist', notify: 'assist', escalate: 'assist', comment: 'assist' } },
    });
    expect(first.statuses).toEqual([
      { name: 'To Do', category: 'new', phase: 'queue' },
      { name: 'In Progress', category: 'indeterminate', phase: 'active' },
      { name: 'Waiting for customer', category: 'indeterminate', phase: 'waiting' },
      { name: 'Done', category: 'done', phase: 'done' },
    ]);
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    const saved = data<{ record: { version: number }; source: string; yaml: string }>(
      await call('getCharter', { scope: 'global' }),
    );
    expect(saved).toMatchObject({ record: { version: 1 }, source: 'own', yaml: SITE_YAML });
  });

  it("a project without its own charter shows the site's, with the project's statuses", async () => {
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    const sup = data<{ record: unknown; source: string; yaml: string; statuses: unknown[] }>(
      await call('getCharter', { scope: 'SUP' }),
    );
    expect(sup).toMatchObject({ record: null, source: 'site', yaml: SITE_YAML });
    expect(sup.statuses).toHaveLength(4);
  });

  it('rejects a bad scope naming the field, and a caller without the permission', async () => {
    const bad = await call('getCharter', { scope: 'sup' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(paths(bad)).toEqual(['scope']);
    expect(await call('getCharter', { scope: 'global' }, AGENT)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('getCharter', { scope: 'SUP' }, AGENT)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await invokeResolver(uiResolver as never, 'getCharter', { scope: 'global' }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('saveCharter', () => {
  it('saves a valid charter as the next version, the YAML kept as written', async () => {
    const r = data<{
      record: {
        version: number;
        charter: { autonomy: { kinds: { notify: string } } };
        yaml: string;
        updatedBy: string;
      };
    }>(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    expect(r.record).toMatchObject({
      version: 1,
      charter: { autonomy: { default: 'assist', kinds: { notify: 'automate' } } },
      yaml: SITE_YAML,
      updatedBy: ADMIN,
    });
    expect((await createBatonStorage().getCharter('global'))?.version).toBe(1);
  });

  it('rejects an invalid charter whole, with every problem by path, and the previous version stays in force', async () => {
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    const yaml = [
      'version: 2',
      'scope: { projects: [sup] }',
      'autonomy:',
      '  kinds: { notify: sometimes }',
      'slaGoals:',
      '  - id: resolve',
      '    target: soon',
      'calendars:',
      '  default: { timeZone: Mars/Olympus, week: { mon: [["09:00", "17:00"]] } }',
    ].join('\n');
    const r = await call('saveCharter', { scope: 'global', yaml, expectedVersion: 1 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    // Core's problems and the app's (a project key Jira would not have), together, by core's paths.
    expect(paths(r).sort()).toEqual([
      'autonomy.kinds.notify',
      'calendars.default.timeZone',
      'scope.projects.0',
      'slaGoals.0.target',
    ]);
    expect(r.ok ? '' : r.error.message).toMatch(/slaGoals\[0\]\.target: expected a duration/);
    const still = await createBatonStorage().getCharter('global');
    expect(still).toMatchObject({ version: 1, yaml: SITE_YAML });
  });

  it('reports YAML that does not parse, a stale version as a conflict, and a bad payload by field', async () => {
    const syntax = await call('saveCharter', { scope: 'global', yaml: 'autonomy: [unclosed', expectedVersion: 0 });
    expect(syntax).toMatchObject({ ok: false, error: { code: 'invalid-payload', details: [{ code: 'yaml.syntax' }] } });
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    expect(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const bad = await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: -1 });
    expect(paths(bad)).toEqual(['expectedVersion']);
    expect(await call('saveCharter', { scope: 'SUP', yaml: SITE_YAML, expectedVersion: 0 }, AGENT)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await createBatonStorage().getCharter('SUP')).toBeUndefined();
  });
});

describe('dry run', () => {
  it('starts on the queue, runs in the consumer, and is read back by its run id', async () => {
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    const { runId } = data<{ runId: string }>(await call('startDryRun', { projectKey: 'SUP', days: 7 }));
    expect(h.queued.map(({ queue, body }) => ({ queue, body }))).toEqual([
      { queue: 'baton-work', body: { kind: 'dry-run', runId, projectKey: 'SUP', days: 7 } },
    ]);
    expect(data<{ result: unknown }>(await call('getDryRun', { projectKey: 'SUP', runId })).result).toBeNull();
    await workConsumer(consumerEvent(h.queued[0]?.body));
    const { result } = data<{
      result: {
        status: string;
        issues: number;
        decisions: { kind: string; verdict: string }[];
        counts: { n: number }[];
      };
    }>(await call('getDryRun', { projectKey: 'SUP', runId }));
    expect(result.status).toBe('done');
    expect(result.issues).toBeGreaterThan(0);
    expect(result.counts.reduce((a, c) => a + c.n, 0)).toBe(result.decisions.length);
    expect(
      data<{ result: unknown }>(await call('getDryRun', { projectKey: 'SUP', runId: 'another-run' })).result,
    ).toBeNull();
  });

  it('rejects N outside 1–90 and an empty run id by field, and callers who do not administer the project', async () => {
    expect(paths(await call('startDryRun', { projectKey: 'SUP', days: 0 }))).toEqual(['days']);
    expect(paths(await call('startDryRun', { projectKey: 'SUP', days: 91 }))).toEqual(['days']);
    expect(paths(await call('getDryRun', { projectKey: 'SUP', runId: '' }))).toEqual(['runId']);
    expect(await call('startDryRun', { projectKey: 'SUP', days: 7 }, AGENT)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(h.queued).toEqual([]);
  });
});

const entry = (n: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `e${n}`,
  decisionKey: `d${n}`,
  issueKey: `SUP-${(n % 3) + 1}`,
  at: NOW - n * 60_000,
  pattern: 'watchdog',
  kind: 'nudge',
  outcome: n % 2 === 0 ? 'suggested' : 'executed',
  reason: `reason ${n}`,
  actor: 'app-baton',
  ...over,
});

describe('getAuditLog', () => {
  it('filters by issue, outcome and time, pages with a cursor, and scores trust', async () => {
    const storage = createBatonStorage();
    for (let n = 0; n < 60; n++) await storage.appendAudit(entry(n));
    await storage.appendAudit(
      entry(100, {
        issueKey: 'SUP-2',
        outcome: 'overridden',
        overrideReason: { code: 'wrong-owner', text: '' },
        at: NOW - 3 * 86_400_000,
      }),
    );
    await storage.appendAudit(entry(101, { issueKey: 'SUP-2', outcome: 'accepted' }));
    const first = data<{ entries: AuditEntry[]; nextCursor?: string }>(
      await call('getAuditLog', { projectKey: 'SUP' }),
    );
    expect(first.entries).toHaveLength(50);
    expect(first.nextCursor).toBeDefined();
    const second = data<{ entries: AuditEntry[]; nextCursor?: string }>(
      await call('getAuditLog', { projectKey: 'SUP', cursor: first.nextCursor }),
    );
    expect(second.entries).toHaveLength(12);
    expect(new Set([...first.entries, ...second.entries].map((e) => e.id)).size).toBe(62);
    const filtered = data<{
      entries: AuditEntry[];
      trust: {
        acceptance: number | null;
        accepted: number;
        overridden: number;
        overrideReasons: Record<string, number>;
      };
    }>(await call('getAuditLog', { projectKey: 'SUP', issueKey: 'SUP-2', sinceDays: 7 }));
    expect(filtered.entries.every((e) => e.issueKey === 'SUP-2')).toBe(true);
    expect(filtered.trust).toMatchObject({
      acceptance: 0.5,
      accepted: 1,
      overridden: 1,
      overrideReasons: { 'wrong-owner': 1 },
    });
    const recent = data<{ entries: AuditEntry[] }>(
      await call('getAuditLog', { projectKey: 'SUP', issueKey: 'SUP-2', sinceDays: 1 }),
    );
    expect(recent.entries.map((e) => e.id)).not.toContain('e100');
    const overridden = data<{ entries: AuditEntry[] }>(
      await call('getAuditLog', { projectKey: 'SUP', outcome: 'overridden' }),
    );
    expect(overridden.entries.map((e) => e.id)).toEqual(['e100']);
  });

  it('rejects an unknown outcome, a bad issue key and a bad window by field, and non-admins', async () => {
    const bad = await call('getAuditLog', { projectKey: 'SUP', outcome: 'maybe', issueKey: 'sup 2', sinceDays: 0 });
    expect(paths(bad).sort()).toEqual(['issueKey', 'outcome', 'sinceDays']);
    expect(await call('getAuditLog', { projectKey: 'SUP' }, AGENT)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});

describe('getDailyReport', () => {
  it("reports the project's last 24 hours from its own issues; rejects a bad key", async () => {
    const r = data<{ projectKey: string; report: { actNext: { cases: { caseId: string }[] }[] } }>(
      await call('getDailyReport', { projectKey: 'SUP' }),
    );
    expect(r.projectKey).toBe('SUP');
    const cases = r.report.actNext.flatMap((a) => a.cases.map((c) => c.caseId));
    expect(cases).toContain('SUP-2');
    expect(cases.every((k) => k.startsWith('SUP-'))).toBe(true);
    expect(paths(await call('getDailyReport', { projectKey: 'sup' }))).toEqual(['projectKey']);
  });
});

describe('getDashboard', () => {
  it("analyses the project's issues updated in the window with core's KPIs, on the queue", async () => {
    data(await call('saveCharter', { scope: 'global', yaml: SITE_YAML, expectedVersion: 0 }));
    const updatedWithin = (days: number) =>
      [...h.sim.store.issues.values()].filter((i) => i.key.startsWith('SUP-') && i.updated >= NOW - days * 86_400_000)
        .length;
    const refresh = async (days: number) => {
      data(await call('startDashboard', { projectKey: 'SUP', days }));
      while (h.queued.length > 0) await workConsumer(consumerEvent(h.queued.shift()?.body));
      return data<{
        dashboard: {
          issues: number;
          days: number;
          kpis: { cases: number; chokePoints: { state: string; phase: string }[]; sla: { casesWithTarget: number } };
        };
      }>(await call('getDashboard', { projectKey: 'SUP' })).dashboard;
    };
    const month = await refresh(30);
    expect(month.issues).toBe(updatedWithin(30));
    expect(month.kpis.cases).toBe(month.issues);
    // SUP-3 has waited for the customer for two days: a choke point; every issue has the 3d goal.
    expect(month.kpis.chokePoints).toContainEqual(
      expect.objectContaining({ state: 'Waiting for customer', phase: 'waiting' }),
    );
    expect(month.kpis.sla.casesWithTarget).toBe(month.issues);
    const day = await refresh(1);
    expect(day).toMatchObject({ days: 1, issues: updatedWithin(1) });
    expect(day.issues).toBeLessThan(month.issues);
  });

  it('rejects a window outside 1–90 days by field, and people who may not browse the project', async () => {
    expect(paths(await call('startDashboard', { projectKey: 'SUP', days: 365 }))).toEqual(['days']);
    expect(await call('getDashboard', { projectKey: 'SUP' }, 'u-cust')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await call('startDashboard', { projectKey: 'SUP', days: 30 }, 'u-cust')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
