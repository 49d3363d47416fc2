import type { SimIssueSeed, SimSeed } from '@baton/jira-sim';

export const PULL_EMAIL = 'lead@example.com';
export const PULL_TOKEN = 'ATATT3xFfGF0-very-secret-token-1234';
export const PULL_PAT = 'NjM4OTk0-dc-personal-access-token';
export const PULL_JQL = 'project = OPS ORDER BY key ASC';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const STATUSES = ['To Do', 'In Progress', 'Waiting for customer', 'Done'];
const IDS: Record<string, string> = {
  'To Do': '1',
  'In Progress': '3',
  'Waiting for customer': '10002',
  Done: '10001',
};

/**
 * A small site for pulling: 23 issues in project OPS. OPS-1 has 250 histories (more than Jira
 * embeds and more than one bulk changelog page of 100), OPS-2 has 130 comments (more than one
 * comment page); the others a few of each.
 */
export function pullSeed(start = Date.UTC(2026, 0, 5, 9)): SimSeed {
  const issues: SimIssueSeed[] = [];
  for (let n = 1; n <= 23; n++) {
    const created = start + n * DAY;
    const historyCount = n === 1 ? 250 : 1 + (n % 4);
    const commentCount = n === 2 ? 130 : n % 3;
    const histories = Array.from({ length: historyCount }, (_, h) => {
      const from = STATUSES[h % 3] as string;
      const to = STATUSES[(h + 1) % 3] as string;
      return {
        author: h % 2 === 0 ? 'u-ana' : 'u-bo',
        created: iso(created + (h + 1) * 3_600_000),
        items: [
          {
            field: 'status',
            fieldId: 'status',
            from: IDS[from] ?? null,
            fromString: from,
            to: IDS[to] ?? null,
            toString: to,
          },
        ],
      };
    });
    const last = historyCount % 3;
    issues.push({
      key: `OPS-${n}`,
      summary: `Issue ${n}: printer on floor ${n % 5} is out of toner`,
      status: STATUSES[last] as string,
      assignee: n % 2 === 0 ? 'u-ana' : 'u-bo',
      reporter: 'u-cy',
      components: [n % 2 === 0 ? 'Hardware' : 'Network'],
      created: iso(created),
      histories,
      comments: Array.from({ length: commentCount }, (_, c) => ({
        author: c % 2 === 0 ? 'u-cy' : 'u-ana',
        created: iso(created + (c + 1) * 60_000),
        body: `comment ${c + 1} on OPS-${n}`,
      })),
    });
  }
  return {
    me: 'u-lead',
    users: [
      { accountId: 'u-lead', displayName: 'Lea Lead', emailAddress: PULL_EMAIL },
      { accountId: 'u-ana', displayName: 'Ana Agent' },
      { accountId: 'u-bo', displayName: 'Bo Agent' },
      { accountId: 'u-cy', displayName: 'Cy Customer' },
    ],
    statuses: [
      { id: '1', name: 'To Do', category: 'new' },
      { id: '3', name: 'In Progress', category: 'indeterminate' },
      { id: '10002', name: 'Waiting for customer', category: 'indeterminate' },
      { id: '10001', name: 'Done', category: 'done' },
    ],
    projects: [
      {
        id: '10000',
        key: 'OPS',
        name: 'Operations',
        statuses: ['1', '3', '10002', '10001'],
        assignable: ['u-ana', 'u-bo'],
        components: ['Hardware', 'Network'],
      },
    ],
    issues,
  };
}
