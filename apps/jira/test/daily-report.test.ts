import { vi, describe, expect, it } from 'vitest';
import type { SimNotification } from '@baton/jira-sim';
import { uiResolver, watchdogTick, workConsumer } from '../src/index.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { NOW, invokeResolver, supCharter, coreCharter } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

// Issue #16: core's daily report per project, for the project's team (browse permission), delivered each
// morning to the people the charter names by Jira notification email, once per day per recipient.
let h: ForgeHarness;
useForgeHarness((started) => {
  h = started;
});

async function saveReportCharter(report: { to: string[]; at?: string }): Promise<void> {
  const charter = coreCharter(supCharter());
  const saved = await createBatonStorage().saveCharter(
    'global',
    {
      charter: {
        ...charter,
        routing: {
          ...charter.routing,
          teams: [{ id: 'support', lead: 'u-grace', members: [{ id: 'u-ada', skills: [] }] }],
        },
        report: { to: report.to, at: report.at ?? '09:00' },
      },
      yaml: '',
      updatedAt: NOW,
      updatedBy: 'test',
    },
    0,
  );
  if (saved === 'conflict') throw new Error('conflict');
}

const reports = (): SimNotification[] =>
  h.sim.store.notifications.filter((n) => n.subject.startsWith('Baton daily report'));
const reportItems = () => h.queued.filter((e) => (e.body as { kind?: string }).kind === 'report-email');

describe('daily report by Jira notification email', () => {
  it('reaches each person the charter names once per day, across ticks and a redelivered queue item', async () => {
    // A team names its lead and members; u-ada is also named alone: one email for her all the same.
    await saveReportCharter({ to: ['support', 'u-ada'] });
    await watchdogTick();
    expect(reportItems().map((e) => e.body)).toEqual([{ kind: 'report-email', projectKey: 'SUP', day: '2026-11-23' }]);
    const item = reportItems()[0]!;
    h.queued.push({ ...item, eventId: 'redelivered' });
    await h.drainQueue(workConsumer);
    expect(reports().map((n) => n.to)).toEqual([['u-grace'], ['u-ada']]);
    const [email] = reports();
    // Core's report, people by name, carried by an issue of the project.
    expect(email?.subject).toMatch(/^Baton daily report for SUP, 2026-11-23: \d+ at risk, \d+ changed$/);
    expect(email?.textBody).toContain('WHO MUST ACT NEXT');
    expect(email?.textBody).toContain('Ada Lovelace');
    expect(email?.textBody).not.toContain('u-ada');
    expect(email?.issueKey).toMatch(/^SUP-\d+$/);
    // Later ticks the same day queue nothing; the next day's report goes to each once more.
    vi.setSystemTime(NOW + 5 * 60_000);
    await watchdogTick();
    vi.setSystemTime(NOW + 2 * 3_600_000);
    await watchdogTick();
    expect(reportItems()).toEqual([]);
    await h.drainQueue(workConsumer);
    expect(reports()).toHaveLength(2);
    vi.setSystemTime(NOW + 24 * 3_600_000);
    await watchdogTick();
    await h.drainQueue(workConsumer);
    expect(reports().map((n) => n.to)).toEqual([['u-grace'], ['u-ada'], ['u-grace'], ['u-ada']]);
  });

  it('waits for the charter’s time of day, and sends nothing when the charter names nobody', async () => {
    await saveReportCharter({ to: ['u-ada'], at: '13:00' });
    await watchdogTick();
    expect(reportItems()).toEqual([]);
    vi.setSystemTime(NOW + 3_600_000);
    await watchdogTick();
    expect(reportItems()).toHaveLength(1);
    h.queued.length = 0;
    await createBatonStorage().saveCharter(
      'global',
      { charter: coreCharter(supCharter()), yaml: '', updatedAt: NOW, updatedBy: 'test' },
      1,
    );
    vi.setSystemTime(NOW + 26 * 3_600_000);
    await watchdogTick();
    expect(reportItems()).toEqual([]);
  });

  it('retries a send Jira could not take (5xx) and emails nobody twice; a person Jira refuses is recorded, not retried', async () => {
    await saveReportCharter({ to: ['u-ada', 'u-nobody', 'u-grace'] });
    h.sim.fail({ status: 500, method: 'POST', path: /\/notify$/ });
    await watchdogTick();
    const outcomes = (await h.drainQueue(workConsumer)).filter(
      (o) => (o.event.body as { kind?: string }).kind === 'report-email',
    );
    expect(outcomes.map((o) => o.outcome.kind)).toEqual(['retry', 'returned']);
    expect(reports().map((n) => n.to)).toEqual([['u-ada'], ['u-grace']]);
    const view = await invokeResolver(uiResolver as never, 'getDailyReport', { projectKey: 'SUP' }, 'u-grace');
    expect(view).toMatchObject({
      ok: true,
      data: {
        delivery: {
          to: ['u-ada', 'u-nobody', 'u-grace'],
          last: {
            day: '2026-11-23',
            recipients: [
              { accountId: 'u-ada', sent: true },
              { accountId: 'u-nobody', sent: false },
              { accountId: 'u-grace', sent: true },
            ],
          },
        },
      },
    });
  });
});

describe('getDailyReport', () => {
  it('shows core’s report to anyone who may browse the project, not only admins; a customer is refused', async () => {
    await saveReportCharter({ to: ['u-grace'] });
    // u-ada administers nothing (the seed's only admin is u-grace).
    const r = await invokeResolver(uiResolver as never, 'getDailyReport', { projectKey: 'SUP' }, 'u-ada');
    expect(r.ok).toBe(true);
    const data = (
      r as {
        data: {
          report: { totals: { open: number }; actNext: { who: string | null }[] };
          people: Record<string, string>;
        };
      }
    ).data;
    expect(data.report.totals.open).toBeGreaterThan(0);
    expect(data.people['u-ada']).toBe('Ada Lovelace');
    expect(data.report.actNext.some((a) => a.who === 'u-ada')).toBe(true);
    expect(await invokeResolver(uiResolver as never, 'getDailyReport', { projectKey: 'SUP' }, 'u-cust')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });

  it('reads the project with its own JQL query, never another project', async () => {
    await saveReportCharter({ to: [] });
    await invokeResolver(uiResolver as never, 'getDailyReport', { projectKey: 'SUP' }, 'u-ada');
    const searches = h.sim.requests.filter((q) => q.path === '/rest/api/3/search/jql');
    expect(searches.length).toBeGreaterThan(0);
    for (const s of searches) expect((s.body as { jql: string }).jql).toMatch(/^project = "SUP" AND/);
  });
});
