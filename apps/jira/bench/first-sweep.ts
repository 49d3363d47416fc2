/**
 * The watchdog's first sweep of a big project, run as Forge runs it, over the jira-sim and the Forge
 * harness (KVS emulator with Forge's limits, queue limits, time budgets from manifest.yml):
 *
 *   pnpm --filter jira bench:sweep [--issues 50000] [--changed 10,100]
 *
 * Seeds one project with `--issues` open issues, then runs scheduled ticks (each with a real 55 s
 * budget counted from its start) and delivers what they queue to the consumer (900 s each), until the
 * first sweep is complete. Prints per-invocation figures against their limits, then the Jira calls of
 * later ticks with N changed issues, next to the open count: they grow with N, not with the project.
 */
import '../test/setup-egress.ts';
import { supportDeskSeed } from '@baton/jira-sim';
import type { SimIssueSeed } from '@baton/jira-sim';
import { watchdogTick, workConsumer } from '../src/index.ts';
import { invocationBudgetMs, MANIFEST, startForgeHarness } from '../test/forge-harness.ts';
import { saveCoreCharter, supCharter } from '../test/fixtures.ts';
import { MAX_VALUE_BYTES } from '../test/kvs-emulator.ts';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const ISSUES = Number(arg('issues', '50000'));
const CHANGED = arg('changed', '10,100').split(',').map(Number);

const now = Date.now();
const seed = supportDeskSeed(now);
const generated = (n: number): SimIssueSeed => ({
  key: `SUP-${1000 + n}`,
  summary: `Generated ${n}`,
  status: n % 3 === 0 ? 'To Do' : 'In Progress',
  assignee: ['u-ada', 'u-grace', 'u-linus'][n % 3] as string,
  created: new Date(now - (200 + (n % 500)) * 3_600_000).toISOString(),
  updated: new Date(now - (2 + (n % 50)) * 3_600_000).toISOString(),
});
seed.issues.push(...Array.from({ length: ISSUES }, (_, n) => generated(n)));

const t0 = performance.now();
const h = await startForgeHarness({ seed });
console.log(`seeded ${ISSUES} issues in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// Jira's and the app's clock stands still (moved by hand between ticks); the invocation's remaining time
// is counted down in real time from each invocation's budget.
let clock = now;
Date.now = () => clock;
let invocationEnds = 0;
Object.defineProperty(h, 'remainingMs', {
  configurable: true,
  get: () => invocationEnds - performance.now(),
  set: (budget: number) => {
    invocationEnds = performance.now() + budget;
  },
});
let maxCursorBytes = 0;
let maxPushEvents = 0;
const handle = h.kvs.handle.bind(h.kvs);
h.kvs.handle = (path, body) => {
  if (body['key'] === 'watchdog:cursor' && body['value'] !== undefined)
    maxCursorBytes = Math.max(maxCursorBytes, Buffer.byteLength(JSON.stringify(body['value'])));
  return handle(path, body);
};

// Each queue push as the harness receives it (it refuses more than 50 events or 200 KB).
const g = globalThis as {
  __forge_fetch__?: (t: Record<string, unknown>, path: string, init?: RequestInit) => Promise<Response>;
};
const forgeFetch = g.__forge_fetch__;
if (forgeFetch === undefined) throw new Error('the harness installs __forge_fetch__');
g.__forge_fetch__ = (target, path, init) => {
  if (path.startsWith('/webhook/queue/publish') && typeof init?.body === 'string')
    maxPushEvents = Math.max(maxPushEvents, (JSON.parse(init.body) as { payload: unknown[] }).payload.length);
  return forgeFetch(target, path, init);
};

await saveCoreCharter(supCharter({ workflow: { norm: '1d', states: {} } }));
const tickBudget = invocationBudgetMs(MANIFEST, 'watchdog-tick');
const consumerBudget = invocationBudgetMs(MANIFEST, 'work-consumer');
const jiraCalls = (): number => h.sim.requests.length;

const ticks: { ms: number; jira: number; fannedOut: number; complete: boolean; why?: string }[] = [];
let consumerEvents = 0;
let consumerMaxMs = 0;
let consumerJira = 0;
const sweepStart = performance.now();
for (let tick = 0; tick < 500; tick++) {
  h.sim.requests.length = 0;
  h.remainingMs = tickBudget;
  const started = performance.now();
  const r = await watchdogTick();
  ticks.push({
    ms: performance.now() - started,
    jira: jiraCalls(),
    fannedOut: r.fannedOut,
    complete: r.complete,
    ...(r.stoppedBecause === undefined ? {} : { why: r.stoppedBecause }),
  });
  // The consumer's invocations (Forge runs them in parallel; here one after another, each timed).
  for (const event of h.queued.splice(0)) {
    h.queued.push(event);
    h.sim.requests.length = 0;
    const started2 = performance.now();
    consumerEvents += (await h.drainQueue(workConsumer as never)).length;
    consumerMaxMs = Math.max(consumerMaxMs, performance.now() - started2);
    consumerJira += jiraCalls();
  }
  if (r.complete) break;
}
const sweepMs = performance.now() - sweepStart;

const dueRows = h.kvs.entities.get('due')?.size ?? 0;
console.log(`\nfirst sweep of ${ISSUES + 5} issues (${seed.issues.length} seeded, open ones swept):`);
console.log(`  scheduled ticks until complete   ${ticks.length}`);
for (const [i, t] of ticks.entries())
  console.log(
    `    tick ${i + 1}: ${(t.ms / 1000).toFixed(2)} s of ${tickBudget / 1000} s, ${t.jira} Jira calls, ${t.fannedOut} queue events${t.complete ? ', complete' : `, stopped (${t.why})`}`,
  );
console.log(`  queue events (25 issues each)    ${consumerEvents}; largest push ${maxPushEvents} events (limit 50)`);
console.log(
  `  consumer invocation, longest     ${(consumerMaxMs / 1000).toFixed(2)} s of ${consumerBudget / 1000} s; ${consumerJira} Jira calls in all (${(consumerJira / Math.max(1, consumerEvents * 25)).toFixed(1)} per issue)`,
);
console.log(`  watchdog checkpoint, largest     ${maxCursorBytes} bytes (value limit ${MAX_VALUE_BYTES} bytes)`);
console.log(`  due-time index rows              ${dueRows}`);
console.log(
  `  wall time of the whole sweep     ${(sweepMs / 1000).toFixed(1)} s (consumers run one after another here)`,
);

console.log('\nlater ticks (five minutes apart), Jira calls against the changed issues:');
let at = now;
const firstTickJira = ticks.reduce((n, t) => n + t.jira, 0);
for (const n of CHANGED) {
  at += 5 * 60_000;
  clock = at;
  for (let i = 0; i < n; i++)
    h.sim.store.edit(`SUP-${1000 + i * Math.floor(ISSUES / n)}`, { priority: 'High' }, 'u-ada');
  h.sim.store.flushIndex();
  h.sim.requests.length = 0;
  h.remainingMs = tickBudget;
  const r = await watchdogTick();
  let calls = jiraCalls();
  h.sim.requests.length = 0;
  const d = await h.drainQueue(workConsumer as never);
  calls += jiraCalls();
  console.log(
    `  ${String(n).padStart(5)} changed of ${ISSUES} open: ${calls} Jira calls (${(calls / n).toFixed(1)} per changed issue; ${r.evaluated.length} inline, ${d.length} queue events), complete: ${r.complete}`,
  );
}
console.log(
  `  the first sweep's own ticks made ${firstTickJira} Jira calls for ${ISSUES} open issues (${((firstTickJira / ISSUES) * 1000).toFixed(1)} per 1,000)`,
);
await h.close();
