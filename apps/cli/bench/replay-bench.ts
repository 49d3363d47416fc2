// Benchmark (not a test; figures only): the watchdog over 100,000 open cases and the replay over a
// real log, each against a naive peer that recomputes from full histories, as an agent without the
// engine's incremental state would. Wall time and CPU time are both printed: the build machine is shared.
//
//   pnpm bench:replay [--cases 100000] [--log /work/shared/data/eventlogs/bpic2014-incident-activity-filtered.xes.gz]
//                     [--charter apps/cli/bench/bpic2014-bench.yaml] [--tick 1h] [--peer-events 20000]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  addBusinessTime,
  compileCharter,
  createWatchdog,
  nextBusinessTime,
  parseCharter,
  parseDuration,
  watchCaseOf,
  type CaseEvent,
  type CaseRecord,
  type CompiledCharter,
  type WatchCase,
} from '@baton/core';
import { ALL_REPLAY_PATTERNS, createReplayEngine, replayTimeline } from '@baton/core/replay';
import { loadCharter } from '../src/commands/replay-run.ts';
import { defineReadOptions, readInputs } from '../src/readers/index.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    cases: { type: 'string', default: '100000' },
    log: { type: 'string' },
    charter: { type: 'string', default: join(import.meta.dirname, 'bpic2014-bench.yaml') },
    tick: { type: 'string', default: '1h' },
    'peer-events': { type: 'string', default: '20000' },
  },
});

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Runs `fn` and returns wall and CPU seconds. */
function timed(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

// ---------------------------------------------------------------------------------------------
// 1. The watchdog over N open cases at one moment.
const N = Number(values.cases);
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
  calendars: {
    default: {
      timeZone: 'Europe/Berlin',
      week: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '17:00']],
        wed: [['09:00', '17:00']],
        thu: [['09:00', '17:00']],
        fri: [['09:00', '17:00']],
      },
    },
  },
  slaGoals: [
    { id: 'response', target: '8h', stop: [{ on: 'status', in: ['In Progress', 'Review', 'Closed'] }] },
    { id: 'resolution', target: '5d', pause: [{ on: 'waiting', reasons: ['customer'] }], warnAt: [0.75] },
  ],
  routing: { teams: [{ id: 'desk', lead: 'lead', members: Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` })) }] },
  escalation: {
    ladders: [
      {
        id: 'res',
        goal: 'resolution',
        steps: [
          { slaConsumed: 0.75, do: 'nudge-owner', message: '{case}: {stakes}' },
          { slaConsumed: 1, do: 'notify-lead', message: '{case} breached' },
        ],
      },
      { id: 'idle', steps: [{ idle: '3d', do: 'nudge-owner', message: '{case} idle {idle}' }] },
    ],
  },
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const synthetic = compileCharter(parsed.value);
const STATES = ['Open', 'In Progress', 'Waiting for customer', 'Review'];
const NOW = Date.parse('2026-11-18T10:30:00Z');
const HOUR = 3_600_000;
let seed = 42;
const rand = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;

// Cases open over the last 30 days: created, up to 3 status changes and up to 8 comments (BPIC 2014
// averages 9 events a case). The history is what the naive peer reads; the WatchCase (state, owner,
// clocks advanced so far) is what the Forge app and the replay keep.
const records: CaseRecord[] = [];
const watched: WatchCase[] = [];
for (let i = 0; i < N; i++) {
  const id = `C-${i}`;
  const created = NOW - Math.floor(rand() * 30 * 24 * HOUR);
  const events: CaseEvent[] = [
    {
      caseId: id,
      at: created,
      offsetMinutes: 0,
      kind: 'created',
      state: 'Open',
      owner: `p${i % 50}`,
      actor: 'reporter',
    },
  ];
  let at = created;
  for (let k = 0; k < 3; k++) {
    at += Math.floor(rand() * 4 * 24 * HOUR);
    if (at >= NOW) break;
    events.push({
      caseId: id,
      at,
      offsetMinutes: 0,
      kind: 'status',
      to: STATES[Math.floor(rand() * STATES.length)]!,
      actor: `p${i % 50}`,
    });
  }
  const comments = Math.floor(rand() * 9);
  for (let k = 0; k < comments; k++) {
    events.push({
      caseId: id,
      at: created + Math.floor(rand() * (NOW - created)),
      offsetMinutes: 0,
      kind: 'comment',
      actor: 'reporter',
      text: 'any news?',
    });
  }
  events.sort((a, b) => a.at - b.at);
  const record: CaseRecord = {
    id,
    source: 'bench',
    attributes: { priority: i % 10 === 0 ? 'High' : 'Medium' },
    events,
  };
  records.push(record);
  watched.push(watchCaseOf(record, synthetic, NOW));
}
const norms = new Map([
  ['Open', 8 * HOUR],
  ['In Progress', 24 * HOUR],
  ['Waiting for customer', 40 * HOUR],
]);
const dog = createWatchdog(synthetic, { norms });
// Warm-up (calendar days cached, JIT) for both paths.
dog.run(watched.slice(0, 2000), NOW);
for (const r of records.slice(0, 2000)) dog.evaluate(watchCaseOf(r, synthetic, NOW), NOW);

console.log(
  `watchdog: ${fmt(N)} open cases (synthetic, 1–12 events each, 2 SLA goals, 2 ladders), evaluated at one moment`,
);
const best = (xs: { wall: number; cpu: number }[]) => xs.reduce((a, b) => (b.cpu < a.cpu ? b : a));
const line = (label: string, n: number, t: { wall: number; cpu: number }, extra: string): void =>
  console.log(
    `  ${label.padEnd(40)} ${fmt(n / t.wall).padStart(9)} evaluations/s wall, ${fmt(n / t.cpu).padStart(9)}/s of CPU (${((t.cpu * 1e6) / n).toFixed(2)} µs CPU each${extra})`,
  );
let proposals = 0;
const kept = best(
  [1, 2, 3].map(() =>
    timed(() => {
      proposals = 0;
      for (const c of watched) proposals += dog.propose(c, NOW).length;
    }),
  ),
);
line('kept state, proposals', N, kept, `; ${fmt(proposals)} proposals on ${fmt(N)} cases`);
let decisions = 0;
const gated = best(
  [1, 2].map(() =>
    timed(() => {
      decisions = dog.run(watched, NOW).length;
    }),
  ),
);
line('kept state, gated decisions (keyed)', N, gated, `; ${fmt(decisions)} decisions, each SHA-256-keyed`);
const peerN = Math.min(N, 20_000);
const peer = best(
  [1, 2].map(() =>
    timed(() => {
      for (let i = 0; i < peerN; i++) dog.propose(watchCaseOf(records[i]!, synthetic, NOW), NOW);
    }),
  ),
);
line('peer: recompute from history, proposals', peerN, peer, `; first ${fmt(peerN)} cases`);
console.log(`  ratio (CPU per case, peer / kept state, proposals): ${(peer.cpu / peerN / (kept.cpu / N)).toFixed(1)}×`);
// The cost of a case that needs nothing (the common case on a healthy site).
const quiet = watched.map((c) => ({
  ...c,
  lastActivityAt: NOW - HOUR,
  enteredStateAt: NOW - HOUR,
  clocks: c.clocks.map(() => null),
}));
const q = best([1, 2, 3].map(() => timed(() => void dog.run(quiet, NOW))));
line('quiet cases (nothing due), gated', N, q, '');

// The due time per case (what the Forge app's due-time index stores): core's nextDueAt, which tests the
// watchdog's own lines and checks each candidate by evaluating there, against the arithmetic mirror the
// app used before (ladder steps and the SLA warning, the breach, the stale time; no gate, no check).
function mirrorDueAt(wc: WatchCase, now: number): number | null {
  const out: number[] = [];
  for (const s of synthetic.idleSteps) out.push(addBusinessTime(synthetic.calendar, wc.lastActivityAt, s.idleMs));
  if (wc.state !== null) {
    const norm =
      parseDuration(synthetic.states.get(wc.state.toLowerCase())?.norm ?? '') ?? norms.get(wc.state) ?? 3 * 8 * HOUR;
    out.push(addBusinessTime(synthetic.calendar, wc.lastActivityAt, norm));
  }
  synthetic.goals.forEach((g, i) => {
    const clock = wc.clocks[i];
    if (clock === null || clock === undefined || clock.status !== 'running' || clock.runningSince === null) return;
    for (const share of [
      ...synthetic.slaSteps.filter((s) => s.goalIndex === i).map((s) => s.slaConsumed),
      ...g.warnAt.slice(0, 1),
      1,
    ]) {
      const left = share * g.targetMs - clock.elapsedMs;
      if (left > 0) out.push(addBusinessTime(g.calendar, clock.runningSince, left));
    }
  });
  const future = out.filter((t) => t > now);
  return future.length === 0 ? null : Math.min(...future);
}
const dueN = Math.min(N, 20_000);
const fresh = watched.slice(0, dueN);
// As the Forge app asks: the steps decided at this moment are settled (taken), what is left is the future.
const settled = fresh.map((c) => ({ ...c, takenSteps: new Set(dog.evaluate(c, NOW).map((d) => d.threshold)) }));
let dueCount = 0;
const count = (t: number | null): void => void (t !== null && dueCount++);
const mirror = best([1, 2, 3].map(() => timed(() => void settled.forEach((c) => count(mirrorDueAt(c, NOW))))));
const mirrorDue = dueCount / 3;
dueCount = 0;
const nd = best([1, 2, 3].map(() => timed(() => void settled.forEach((c) => count(dog.nextDueAt(c, NOW))))));
const ndDue = dueCount / 3;
dueCount = 0;
const ndFresh = best([1, 2].map(() => timed(() => void fresh.forEach((c) => count(dog.nextDueAt(c, NOW))))));
line('due time: removed mirror (arithmetic)', dueN, mirror, `; ${fmt(mirrorDue)} with a due time`);
line('due time: nextDueAt, steps settled', dueN, nd, `; ${fmt(ndDue)} with a due time`);
line(
  'due time: nextDueAt, nothing settled',
  dueN,
  ndFresh,
  `; ${fmt(dueCount / 2)} with a due time (decisions now: gate edges)`,
);
const diff = { same: 0, strict: 0, earlier: 0, later: 0, none: 0 };
for (const c of settled) {
  const a = mirrorDueAt(c, NOW);
  const b = dog.nextDueAt(c, NOW);
  if (a === b) diff.same++;
  // A line the watchdog crosses only beyond its value (idle > norm, elapsed > target): 1 ms later, or at the next opening when it falls at a window's end.
  else if (a !== null && (b === a + 1 || b === nextBusinessTime(synthetic.calendar, a) + 1)) diff.strict++;
  else if (b === null) diff.none++;
  else if (a === null || b < a) diff.earlier++;
  else diff.later++;
}
console.log(
  `  due times, nextDueAt vs mirror: equal ${fmt(diff.same)} of ${fmt(dueN)}; a line crossed only beyond its value ${fmt(diff.strict)}; ` +
    `earlier ${fmt(diff.earlier)}; later ${fmt(diff.later)}; none ${fmt(diff.none)}`,
);
console.log(
  `  ratio (CPU per case, nextDueAt / mirror, steps settled): ${(nd.cpu / mirror.cpu).toFixed(1)}×; nextDueAt / one gated evaluation: ${(nd.cpu / dueN / (gated.cpu / N)).toFixed(1)}×`,
);

// ---------------------------------------------------------------------------------------------
// 2. The replay over a real log, against a peer that recomputes every open case from its history at each tick.
if (values.log === undefined) {
  console.log('\nreplay: pass --log <event log> (e.g. the BPIC 2014 incident activity log) for replay throughput');
  process.exit(0);
}
const charter: CompiledCharter = compileCharter(await loadCharter(values.charter));
const tickMs = parseDuration(values.tick) ?? null;
const cases: CaseRecord[] = [];
const t0 = performance.now();
for await (const item of readInputs([values.log], defineReadOptions({})))
  if (item.type === 'case') cases.push(item.record);
const timeline: CaseEvent[] = cases.flatMap((c) => c.events).sort((a, b) => a.at - b.at);
console.log(
  `\nreplay: ${values.log.split('/').at(-1)}: ${fmt(cases.length)} cases, ${fmt(timeline.length)} events (read in ${((performance.now() - t0) / 1000).toFixed(1)} s, not counted), charter ${charter.charter.name}, tick ${values.tick}`,
);

function engineRun(events: readonly CaseEvent[]): {
  decisions: number;
  ticks: number;
  time: { wall: number; cpu: number };
} {
  const engine = createReplayEngine({ charter, patterns: ALL_REPLAY_PATTERNS });
  for (const c of cases) engine.addCase(c);
  let n = 0;
  const time = timed(() => {
    for (const step of replayTimeline(engine, events, { calendar: charter.calendar, tickMs }))
      n += step.decisions.length;
  });
  return { decisions: n, ticks: engine.stats.ticks, time };
}

const full = engineRun(timeline);
console.log(
  `  all patterns, events + ticks:      ${fmt(timeline.length / full.time.wall)} events/s wall, ${fmt(timeline.length / full.time.cpu)}/s of CPU ` +
    `(${full.time.wall.toFixed(1)} s; ${fmt(full.ticks)} ticks, ${fmt(full.decisions)} decisions)`,
);

// The peer, on a prefix (it is too slow for the whole log): the same events, and at each tick every
// open case rebuilt from its history so far (watchCaseOf: SLA clocks from scratch) and evaluated.
const K = Math.min(timeline.length, Number(values['peer-events']));
const prefix = timeline.slice(0, K);
const mine = engineRun(prefix);
const peerDog = createWatchdog(charter);
const byId = new Map(cases.map((c) => [c.id, c]));
let peerTicks = 0;
let peerDecisions = 0;
const naive = timed(() => {
  const seen = new Map<string, CaseEvent[]>();
  const open = new Set<string>();
  const tick = (now: number): void => {
    peerTicks++;
    for (const id of open) {
      const c = byId.get(id)!;
      peerDecisions += peerDog.evaluate(watchCaseOf({ ...c, events: seen.get(id)! }, charter, now), now).length;
    }
  };
  // The engine's tick grid (replayTimeline): business time in the charter's calendar.
  let next = tickMs === null ? Infinity : nextBusinessTime(charter.calendar, prefix[0]!.at);
  for (const e of prefix) {
    while (next <= e.at) {
      tick(next);
      next = addBusinessTime(charter.calendar, next, tickMs!);
    }
    const list = seen.get(e.caseId) ?? [];
    list.push(e);
    seen.set(e.caseId, list);
    const state = e.state ?? e.to ?? null;
    if (state !== null && charter.resolve(state).phase === 'done') open.delete(e.caseId);
    else open.add(e.caseId);
  }
});
console.log(
  `  on the first ${fmt(K)} events: engine ${fmt(K / mine.time.cpu)} events/s of CPU (${fmt(mine.ticks)} ticks); ` +
    `peer (recompute each open case at each tick, watchdog only) ${fmt(K / naive.cpu)} events/s of CPU (${fmt(peerTicks)} ticks, ${fmt(peerDecisions)} evaluations' decisions, ungated across ticks)`,
);
console.log(
  `  ratio (CPU, peer / engine): ${(naive.cpu / mine.time.cpu).toFixed(1)}× — the engine also runs router, clerk and concierge`,
);
