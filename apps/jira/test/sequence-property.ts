import { verifyAudit } from '@baton/core';
import { ISSUE_STATE_PROPERTY, IssueStateSchema } from '@baton/jira/issue-state';
import fc from 'fast-check';
import { vi } from 'vitest';
import { onIssueEvent, watchdogTick, workConsumer } from '../src/index.ts';
import { DECISION_PROPERTY } from '../src/app/execute-decision.ts';
import type { AuditEntry } from '../src/contracts/audit.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';
import { ASSIST_ALL, NOW, saveCoreCharter, slaGoal, supCharter } from './fixtures.ts';
import { invocationBudgetMs, invocationOutcome, issueEvent, MANIFEST, startForgeHarness } from './forge-harness.ts';
import type { ForgeHarness } from './forge-harness.ts';

/**
 * The generated-sequence property of the Forge app (issue 13): a seeded project driven through a
 * sequence of product events delivered out of order, twice and two at once, watchdog ticks, queue
 * deliveries, people's edits, Jira 429s and 5xx, and invocations cut at their time limit (the runtime
 * stops the function between two platform calls). After the platform has delivered everything it
 * still owes (retries, the queue, the watchdog until its tick completes), it checks:
 * - no duplicate effect: a decision's comment at most once, the app's field writes and assignments no
 *   more than the decisions it executed;
 * - no lost suggestion: every decision left `suggested` is in app storage and in the issue's panel state;
 * - caps never exceeded: the app's nudges per issue per UTC day;
 * - every decision in the audit chain once, and each issue's chain verifies.
 * `test/generated-sequences.test.ts` runs a bounded number; `bench/generated-sequences.ts` runs 10,000.
 */
export const ISSUES = ['SUP-1', 'SUP-2', 'SUP-3', 'SUP-4', 'SUP-5'] as const;
const EVENT_TYPES = [
  'avi:jira:created:issue',
  'avi:jira:updated:issue',
  'avi:jira:assigned:issue',
  'avi:jira:commented:issue',
] as const;
/** The nudge cap the generated charter sets (one a day, so the cap is met often). */
export const NUDGE_CAP = 1;

export type Command =
  | { k: 'event'; type: (typeof EVENT_TYPES)[number]; issue: string; twice: boolean }
  | { k: 'deliver'; pick: number; concurrent: boolean }
  | { k: 'tick' }
  | { k: 'drain'; max: number }
  | { k: 'fault'; status: 429 | 500 | 503; times: number; path: 'issue' | 'comment' | 'search' | 'any' }
  | { k: 'cut'; afterCalls: number }
  | { k: 'advance'; minutes: number }
  | { k: 'human'; issue: string; change: 'priority' | 'comment' | 'assignee' };

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('event' as const),
      type: fc.constantFrom(...EVENT_TYPES),
      issue: fc.constantFrom(...ISSUES),
      twice: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('deliver' as const), pick: fc.nat(20), concurrent: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('tick' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('drain' as const), max: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('fault' as const),
      status: fc.constantFrom(429 as const, 500 as const, 503 as const),
      times: fc.integer({ min: 1, max: 3 }),
      path: fc.constantFrom('issue' as const, 'comment' as const, 'search' as const, 'any' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cut' as const), afterCalls: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('advance' as const), minutes: fc.constantFrom(5, 60, 24 * 60) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('human' as const),
      issue: fc.constantFrom(...ISSUES),
      change: fc.constantFrom('priority' as const, 'comment' as const, 'assignee' as const),
    }),
  },
);

const FAULT_PATHS: Record<Extract<Command, { k: 'fault' }>['path'], RegExp | undefined> = {
  issue: /^\/rest\/api\/3\/issue\/[A-Z]+-\d+$/,
  comment: /\/comment$/,
  search: /^\/rest\/api\/3\/search/,
  any: undefined,
};

interface Pending {
  event: Record<string, unknown>;
  retries: number;
}

type ForgeFetch = (target: Record<string, unknown>, path: string, init?: RequestInit) => Promise<Response>;

/** Runs one sequence on a fresh harness and checks the invariants; throws (with what broke) when one fails. */
export async function runSequence(commands: readonly Command[]): Promise<void> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  const h = await startForgeHarness();
  const g = globalThis as { __forge_fetch__?: ForgeFetch };
  const forgeFetch = g.__forge_fetch__ as ForgeFetch;
  // An invocation cut at its time limit: after `left` more platform calls, every call fails as the runtime stops it.
  let left: number | undefined;
  g.__forge_fetch__ = (target, path, init) => {
    if (left !== undefined && left-- <= 0) return Promise.reject(new Error('invocation cut at its time limit'));
    return forgeFetch(target, path, init);
  };
  const budget = invocationBudgetMs(MANIFEST, 'on-issue-event');
  try {
    await saveCoreCharter(
      supCharter({
        workflow: { norm: '1d', states: {} },
        slaGoals: [slaGoal('resolution', '3d')],
        autonomy: {
          default: 'off',
          kinds: { ...ASSIST_ALL, notify: 'automate', requestInfo: 'automate', escalate: 'automate' },
        },
        caps: { maxNudgesPerCasePerDay: NUDGE_CAP, quietHours: null, quietOutsideBusinessHours: false },
      }),
    );
    const pending: Pending[] = [];
    /** One trigger invocation as Forge makes it: a returned InvocationError is delivered again (at most four times). */
    const deliverOne = async (p: Pending): Promise<void> => {
      h.remainingMs = budget;
      const out = await invocationOutcome(() => onIssueEvent(p.event));
      if (out.kind === 'retry' && p.retries < 4) pending.push({ event: p.event, retries: p.retries + 1 });
    };
    const drain = async (max: number): Promise<void> => {
      for (let i = 0; i < max && h.queued.length > 0; i++) {
        const e = h.queued.shift();
        if (e === undefined) break;
        h.queued.push(e);
        const rest = h.queued.splice(0, h.queued.length - 1);
        await h.drainQueue(workConsumer as never);
        h.queued.unshift(...rest);
      }
    };
    const cutOnce = async (run: () => Promise<unknown>): Promise<void> => {
      try {
        await run();
      } finally {
        left = undefined;
      }
    };

    for (const c of commands) {
      switch (c.k) {
        case 'event': {
          const ev = issueEvent(h.sim, c.type, c.issue);
          pending.push({ event: ev, retries: 0 });
          if (c.twice) pending.push({ event: ev, retries: 0 }); // at-least-once: delivered again
          break;
        }
        case 'deliver': {
          if (pending.length === 0) break;
          const [a] = pending.splice(c.pick % pending.length, 1);
          if (a === undefined) break;
          if (c.concurrent && pending.length > 0) {
            const [b] = pending.splice(c.pick % pending.length, 1);
            // Two invocations at once (a cut then stops whichever makes the call past it).
            await cutOnce(() => Promise.all([deliverOne(a), b === undefined ? undefined : deliverOne(b)]));
          } else await cutOnce(() => deliverOne(a));
          break;
        }
        case 'tick':
          h.remainingMs = 55_000;
          await cutOnce(() => invocationOutcome(() => watchdogTick()));
          break;
        case 'drain':
          await cutOnce(() => drain(c.max));
          break;
        case 'fault':
          h.sim.fail({
            status: c.status,
            times: c.times,
            ...(c.status === 500 ? {} : { retryAfter: 1 }),
            ...(FAULT_PATHS[c.path] === undefined ? {} : { path: FAULT_PATHS[c.path] as RegExp }),
          });
          break;
        case 'cut':
          left = c.afterCalls; // the next invocation only
          break;
        case 'advance':
          vi.setSystemTime(Date.now() + c.minutes * 60_000);
          break;
        case 'human':
          if (c.change === 'comment')
            h.sim.store.addComment(c.issue, { type: 'doc', version: 1, content: [] }, 'u-ada');
          else if (c.change === 'priority') h.sim.store.edit(c.issue, { priority: 'High' }, 'u-ada');
          else h.sim.store.edit(c.issue, { assignee: 'u-grace' }, 'u-ada');
          pending.push({ event: issueEvent(h.sim, 'avi:jira:updated:issue', c.issue), retries: 0 });
          break;
      }
    }

    // The platform delivers what it still owes, with no more faults or cuts.
    left = undefined;
    h.sim.clearFaults();
    h.sim.store.flushIndex();
    for (let p = pending.shift(); p !== undefined; p = pending.shift()) await deliverOne(p);
    for (let i = 0; i < 10; i++) {
      h.remainingMs = 55_000;
      const r = await invocationOutcome(() => watchdogTick());
      await drain(Number.MAX_SAFE_INTEGER);
      if (r.kind === 'returned' && r.result.complete) break;
    }
    // A later event on each issue finishes what an interrupted run claimed and left.
    for (const key of ISSUES) await deliverOne({ event: issueEvent(h.sim, 'avi:jira:updated:issue', key), retries: 0 });
    await drain(Number.MAX_SAFE_INTEGER);
    await checkInvariants(h);
  } finally {
    g.__forge_fetch__ = forgeFetch;
    await h.close();
    vi.useRealTimers();
  }
}

async function checkInvariants(h: ForgeHarness): Promise<void> {
  const storage = createBatonStorage();
  const rows = [...(h.kvs.entities.get('audit')?.values() ?? [])].map((s) => s.value as AuditEntry);
  const kindOf = new Map(rows.map((r) => [r.decisionKey, r.kind]));
  const fail = (what: string): never => {
    throw new Error(`invariant broken: ${what}`);
  };
  for (const key of ISSUES) {
    const issue = h.sim.store.get(key);
    // No duplicate effect: each decision's comment at most once.
    const posted = issue.comments
      .filter((c) => c.author === 'app-baton')
      .map((c) => c.properties.get(DECISION_PROPERTY));
    const dup = posted.find((d, i) => posted.indexOf(d) !== i);
    if (dup !== undefined) fail(`${key}: decision ${String(dup)} commented twice`);
    // The app's field writes and assignments: no more than the decisions it executed on the issue.
    const executed = new Set(
      rows
        .filter((r) => r.issueKey === key && (r.outcome === 'executed' || r.outcome === 'accepted'))
        .map((r) => r.decisionKey),
    );
    const appChanges = issue.histories.filter((hi) => hi.author === 'app-baton').length;
    if (appChanges > executed.size)
      fail(`${key}: ${appChanges} field changes by the app for ${executed.size} decisions`);
    // Caps: the app's nudges per UTC day.
    const perDay = new Map<string, number>();
    for (const c of issue.comments.filter((x) => x.author === 'app-baton')) {
      const kind = kindOf.get(String(c.properties.get(DECISION_PROPERTY)));
      // A nudge is core's `notify` (or a question, `requestInfo`): the audit's kind is the decision's action kinds.
      if (kind !== 'notify' && kind !== 'requestInfo') continue;
      const day = new Date(c.created).toISOString().slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (const [day, n] of perDay) if (n > NUDGE_CAP) fail(`${key}: ${n} nudges on ${day} (cap ${NUDGE_CAP})`);
    // No lost suggestion: a decision still suggested is in storage and on the panel.
    const state = IssueStateSchema.safeParse(issue.properties.get(ISSUE_STATE_PROPERTY));
    for (const r of rows.filter((x) => x.issueKey === key && x.outcome === 'suggested')) {
      if ((await storage.getEffect(r.decisionKey))?.state !== 'suggested') continue;
      if ((await storage.getSuggestion(key, r.decisionKey)) === undefined)
        fail(`${key}: suggestion ${r.decisionKey} lost from storage`);
      if (!state.success || !state.data.suggestions.some((s) => s.key === r.decisionKey))
        fail(`${key}: suggestion ${r.decisionKey} missing from the panel`);
    }
    // The audit chain: verifies, and records each decision once.
    const chain = await storage.readChain(key);
    const verified = verifyAudit(chain);
    if (!verified.ok) fail(`${key}: chain does not verify: ${JSON.stringify(verified)}`);
    const decided = chain.flatMap((e) => (e.record.type === 'decision' ? [e.record.decision.id] : []));
    const twice = decided.find((d, i) => decided.indexOf(d) !== i);
    if (twice !== undefined) fail(`${key}: decision ${twice} in the chain twice`);
    for (const r of rows.filter((x) => x.issueKey === key && x.chain !== undefined))
      if (chain[r.chain?.seq ?? -1]?.hash !== r.chain?.hash) fail(`${key}: audit row ${r.id} points at no chain entry`);
    const logged = new Set(decided);
    for (const r of rows.filter((x) => x.issueKey === key && ['executed', 'suggested', 'dropped'].includes(x.outcome)))
      if (!logged.has(r.decisionKey)) fail(`${key}: ${r.outcome} decision ${r.decisionKey} not in the chain`);
  }
}

/** The property, for fast-check: `numRuns` sequences of 1–`maxLength` commands. */
export const sequenceProperty = (maxLength: number) =>
  fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength }), (commands) => runSequence(commands));
