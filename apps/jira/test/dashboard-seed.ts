import { supportDeskSeed } from '@baton/jira-sim';
import type { SimHistory, SimSeed } from '@baton/jira-sim';
import { NOW } from './fixtures.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PEOPLE = [
  ['u-ada', 'Ada Lovelace'],
  ['u-grace', 'Grace Hopper'],
  ['u-linus', 'Linus Pauling'],
] as const;
const STATUS = {
  todo: ['10000', 'To Do'],
  doing: ['3', 'In Progress'],
  waiting: ['10001', 'Waiting for customer'],
  done: ['10002', 'Done'],
} as const;
type S = keyof typeof STATUS;

/**
 * The support desk plus `extra` generated issues (SUP-101 on), created one every few hours over the
 * last ~`spanDays` days, with the histories a desk has: assignment, work started, some wait for the
 * customer (and some of those bounce back to the first owner: ping-pong), some are chased ("any
 * update?") and some are resolved. Deterministic: issue n's shape follows from n.
 */
export function busyDeskSeed(extra = 250, spanDays = 45): SimSeed {
  const seed = supportDeskSeed();
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let n = 0; n < extra; n++) {
    const created = NOW - spanDays * DAY + Math.floor((n * spanDays * DAY) / extra) + (n % 5) * HOUR;
    const histories: SimHistory[] = [];
    const comments: { author: string; created: string; body: string }[] = [];
    const first = PEOPLE[n % 3]!;
    const second = PEOPLE[(n + 1) % 3]!;
    let status: S = 'todo';
    let assignee: string | null = null;
    let t = created;
    const step = (hours: number): boolean => {
      t += hours * HOUR;
      return t < NOW - HOUR;
    };
    const move = (to: S, by: string) => {
      histories.push({
        author: by,
        created: iso(t),
        items: [
          {
            field: 'status',
            from: STATUS[status][0],
            fromString: STATUS[status][1],
            to: STATUS[to][0],
            toString: STATUS[to][1],
          },
        ],
      });
      status = to;
    };
    const assign = (to: readonly [string, string], by: string) => {
      const from = PEOPLE.find((p) => p[0] === assignee);
      histories.push({
        author: by,
        created: iso(t),
        items: [
          { field: 'assignee', from: from?.[0] ?? null, fromString: from?.[1] ?? null, to: to[0], toString: to[1] },
        ],
      });
      assignee = to[0];
    };
    if (n % 7 !== 6 && step(1 + (n % 4))) {
      assign(first, 'u-grace');
      if (step(2)) move('doing', first[0]);
      if (n % 3 === 0 && step(5)) {
        move('waiting', first[0]);
        if (n % 2 === 0 && step(20)) comments.push({ author: 'u-cust', created: iso(t), body: 'Any update on this?' });
        if (step(10 + (n % 30))) move('doing', first[0]);
        if (n % 6 === 0 && step(3)) {
          assign(second, first[0]);
          if (step(6)) assign(first, second[0]);
        }
      }
      if (n % 4 !== 3 && step(4 + (n % 50))) {
        move('done', assignee ?? first[0]);
        histories
          .at(-1)!
          .items.push({ field: 'resolution', from: null, fromString: null, to: '10000', toString: 'Done' });
      }
    }
    seed.issues.push({
      key: `SUP-${101 + n}`,
      summary: `Generated request ${n}`,
      issuetype: n % 2 === 0 ? 'Incident' : 'Service request',
      priority: (['High', 'Medium', 'Low'] as const)[n % 3]!,
      status: STATUS[status][1],
      assignee,
      reporter: 'u-cust',
      created: iso(created),
      updated: iso(
        Math.max(
          created,
          ...histories.map((h) => Date.parse(h.created)),
          ...comments.map((c) => Date.parse(c.created)),
        ),
      ),
      histories,
      comments,
    });
  }
  return seed;
}
