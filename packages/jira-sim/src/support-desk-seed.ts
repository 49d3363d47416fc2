import type { SimSeed } from './seed.ts';

/**
 * A small service desk, as a test needs one: four people, a workflow with a waiting state, and issues
 * with histories (new and unassigned, in progress, waiting for the customer, stale, done).
 * `now` anchors the times so that ages are what the names say. Returns a fresh object each call.
 */
export function supportDeskSeed(now = Date.UTC(2026, 10, 23, 12, 0)): SimSeed {
  const ago = (h: number): string => new Date(now - h * 3_600_000).toISOString();
  return {
    me: 'app-baton',
    admins: ['u-grace'],
    users: [
      { accountId: 'app-baton', displayName: 'Baton', accountType: 'app' },
      { accountId: 'u-ada', displayName: 'Ada Lovelace', emailAddress: 'ada@example.com' },
      { accountId: 'u-grace', displayName: 'Grace Hopper', emailAddress: 'grace@example.com' },
      { accountId: 'u-linus', displayName: 'Linus Pauling', emailAddress: 'linus@example.com' },
      {
        accountId: 'u-cust',
        displayName: 'Carla Customer',
        emailAddress: 'carla@customer.example',
        accountType: 'customer',
      },
      { accountId: 'u-gone', displayName: 'Former Agent', active: false },
    ],
    statuses: [
      { id: '10000', name: 'To Do', category: 'new' },
      { id: '3', name: 'In Progress', category: 'indeterminate' },
      { id: '10001', name: 'Waiting for customer', category: 'indeterminate' },
      { id: '10002', name: 'Done', category: 'done' },
    ],
    projects: [
      {
        id: '10100',
        key: 'SUP',
        name: 'Support',
        statuses: ['10000', '3', '10001', '10002'],
        transitions: [
          { id: '11', name: 'Back to queue', to: '10000' },
          { id: '21', name: 'Start work', to: '3' },
          { id: '31', name: 'Wait for customer', to: '10001' },
          { id: '41', name: 'Resolve', to: '10002' },
        ],
        assignable: ['u-ada', 'u-grace', 'u-linus', 'u-gone'],
        components: ['Billing', 'Login', 'Reports'],
      },
    ],
    issues: [
      {
        key: 'SUP-1',
        summary: 'Cannot log in after password reset',
        description: 'Customer reports the reset link expires immediately. Account: ACME-4411.',
        issuetype: 'Incident',
        priority: 'High',
        status: 'To Do',
        reporter: 'u-cust',
        labels: ['login'],
        created: ago(2),
      },
      {
        key: 'SUP-2',
        summary: 'Invoice PDF shows the wrong VAT rate',
        issuetype: 'Service request',
        status: 'In Progress',
        assignee: 'u-ada',
        reporter: 'u-cust',
        created: ago(30),
        updated: ago(6),
        histories: [
          {
            author: 'u-grace',
            created: ago(29),
            items: [{ field: 'assignee', from: null, fromString: null, to: 'u-ada', toString: 'Ada Lovelace' }],
          },
          {
            author: 'u-ada',
            created: ago(6),
            items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
          },
        ],
        comments: [{ author: 'u-cust', created: ago(20), body: 'Any update on this? We need it for month end.' }],
      },
      {
        key: 'SUP-3',
        summary: 'Export to CSV times out for large reports',
        issuetype: 'Incident',
        priority: 'Medium',
        status: 'Waiting for customer',
        assignee: 'u-grace',
        reporter: 'u-cust',
        created: ago(75),
        updated: ago(50),
        histories: [
          {
            author: 'u-grace',
            created: ago(74),
            items: [{ field: 'assignee', to: 'u-grace', toString: 'Grace Hopper' }],
          },
          {
            author: 'u-grace',
            created: ago(73),
            items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
          },
          {
            author: 'u-grace',
            created: ago(50),
            items: [
              { field: 'status', from: '3', fromString: 'In Progress', to: '10001', toString: 'Waiting for customer' },
            ],
          },
        ],
        comments: [{ author: 'u-grace', created: ago(50), body: 'Could you send the report id that fails?' }],
      },
      {
        key: 'SUP-4',
        summary: 'SSO metadata rotated, staff locked out',
        issuetype: 'Incident',
        priority: 'Highest',
        status: 'In Progress',
        assignee: 'u-linus',
        reporter: 'u-ada',
        labels: ['sso', 'enterprise'],
        created: ago(120),
        updated: ago(96),
        histories: [
          {
            author: 'u-ada',
            created: ago(119),
            items: [{ field: 'assignee', to: 'u-grace', toString: 'Grace Hopper' }],
          },
          {
            author: 'u-grace',
            created: ago(110),
            items: [
              {
                field: 'assignee',
                from: 'u-grace',
                fromString: 'Grace Hopper',
                to: 'u-linus',
                toString: 'Linus Pauling',
              },
            ],
          },
          {
            author: 'u-linus',
            created: ago(96),
            items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
          },
        ],
      },
      {
        key: 'SUP-5',
        summary: 'Typo on the billing page',
        issuetype: 'Task',
        priority: 'Low',
        status: 'Done',
        assignee: 'u-ada',
        reporter: 'u-grace',
        created: ago(200),
        updated: ago(190),
        histories: [
          {
            author: 'u-ada',
            created: ago(195),
            items: [{ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }],
          },
          {
            author: 'u-ada',
            created: ago(190),
            items: [
              { field: 'status', from: '3', fromString: 'In Progress', to: '10002', toString: 'Done' },
              { field: 'resolution', to: '10000', toString: 'Done' },
            ],
          },
        ],
      },
    ],
  };
}
