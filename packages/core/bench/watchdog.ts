// Watchdog throughput: evaluations per second over 100,000 synthetic open cases (not a test; figures only).
// Run: pnpm --filter @baton/core exec tsx bench/watchdog.ts [cases]
import { performance } from 'node:perf_hooks';
import { compileCharter, computeClock, createWatchdog, parseCharter, type CaseEvent, type WatchCase } from '../src/index.ts';

const N = Number(process.argv[2] ?? 100_000);
const parsed = parseCharter({
  version: 2,
  workflow: {
    states: {
      Open: { phase: 'queue' },
      'In Progress': { phase: 'active' },
      'Waiting for customer': { phase: 'waiting', waitingReason: 'customer' },
      Review: { phase: 'active', norm: '2d' },
      Closed: { phase: 'done' },
    },
  },
  calendars: { default: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } } },
  slaGoals: [
    { id: 'response', target: '8h', stop: [{ on: 'status', in: ['In Progress', 'Review', 'Closed'] }] },
    { id: 'resolution', target: '5d', pause: [{ on: 'waiting', reasons: ['customer'] }] },
  ],
  routing: { teams: [{ id: 'desk', lead: 'lead', members: Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` })) }] },
  escalation: {
    ladders: [
      { id: 'res', goal: 'resolution', steps: [{ slaConsumed: 0.75, do: 'nudge-owner', message: '{case}: {stakes}' }, { slaConsumed: 1, do: 'notify-lead', message: '{case} breached' }] },
      { id: 'idle', steps: [{ idle: '3d', do: 'nudge-owner', message: '{case} idle {idle}' }] },
    ],
  },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const charter = compileCharter(parsed.value);
const STATES = ['Open', 'In Progress', 'Waiting for customer', 'Review'];
const NOW = Date.parse('2026-11-18T10:30:00Z');
const HOUR = 3_600_000;

// A deterministic generator (core-free code may use any PRNG; this keeps runs comparable).
let seed = 42;
const rand = (): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

const cases: WatchCase[] = [];
for (let i = 0; i < N; i++) {
  const created = NOW - Math.floor(rand() * 30 * 24 * HOUR);
  const events: CaseEvent[] = [{ caseId: `C-${i}`, at: created, offsetMinutes: 0, kind: 'created', state: 'Open' }];
  let at = created;
  for (let k = 0; k < 3 && at < NOW; k++) {
    at += Math.floor(rand() * 4 * 24 * HOUR);
    if (at >= NOW) break;
    events.push({ caseId: `C-${i}`, at, offsetMinutes: 0, kind: 'status', to: STATES[Math.floor(rand() * STATES.length)]!, actor: `p${i % 50}` });
  }
  const last = events[events.length - 1]!;
  cases.push({
    caseId: `C-${i}`,
    state: events.reduce<string | null>((s, e) => e.to ?? e.state ?? s, null),
    owner: `p${i % 50}`,
    enteredStateAt: last.at,
    lastActivityAt: last.at,
    lastHumanActivityAt: last.actor === undefined ? null : last.at,
    attributes: { priority: i % 10 === 0 ? 'High' : 'Medium' },
    clocks: charter.goals.map((g) => computeClock(g, charter.resolve, events)),
    takenSteps: new Set(),
  });
}

const dog = createWatchdog(charter, { norms: new Map([['Open', 8 * HOUR], ['In Progress', 24 * HOUR], ['Waiting for customer', 40 * HOUR]]) });
dog.run(cases.slice(0, 1000), NOW); // warm-up: calendar days cached, JIT
for (const round of [1, 2, 3]) {
  const t0 = performance.now();
  const decisions = dog.run(cases, NOW);
  const ms = performance.now() - t0;
  const firing = new Set(decisions.map((d) => d.caseId)).size;
  console.log(
    `round ${round}: ${N} open cases in ${ms.toFixed(0)} ms → ${Math.round((N / ms) * 1000).toLocaleString('en-US')} evaluations/s ` +
      `(${((ms * 1000) / N).toFixed(2)} µs/case; ${decisions.length} decisions on ${firing} cases)`,
  );
}
// Cases that need nothing: the common case on a healthy site.
const quiet = cases.map((c) => ({ ...c, lastActivityAt: NOW - HOUR, enteredStateAt: NOW - HOUR, clocks: c.clocks.map(() => null) }));
const t1 = performance.now();
dog.run(quiet, NOW);
const q = performance.now() - t1;
console.log(`quiet cases: ${Math.round((N / q) * 1000).toLocaleString('en-US')} evaluations/s (${((q * 1000) / N).toFixed(2)} µs/case)`);
