import * as z from 'zod';
import { SimError } from './store.ts';
import type { Route } from './routes.ts';

/**
 * Send notification for issue (`POST /rest/api/3/issue/{key}/notify`), as Jira Cloud's REST v3 documents
 * it (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-notify-post):
 * - the body is a `Notification`: `subject`, `textBody`, `htmlBody`, `to` (`reporter`, `assignee`,
 *   `watchers`, `voters` flags, `users` by account id, `groups`/`groupIds`) and `restrict` (`groups`/`groupIds`,
 *   `permissions` by `id` or `key`); when `subject` is absent it is the issue key and summary;
 * - 204 when the email is queued; 400 when a recipient is the caller, a recipient is invalid (the
 *   assignee of an unassigned issue, an account or group Jira does not know) or the body is invalid;
 *   404 when the issue is not found; the caller needs Browse projects on the issue.
 * `restrict` keeps only the recipients holding every listed permission; like any Jira issue email, it
 * never reaches an inactive account or one that cannot browse the issue. The sim has no groups, watchers
 * or voters: a named group is an invalid recipient, and the watcher and voter flags add nobody.
 */
const GroupRef = z.looseObject({ name: z.string().optional(), groupId: z.string().nullable().optional() });
const NotificationBody = z.looseObject({
  subject: z.string().optional(),
  textBody: z.string().optional(),
  htmlBody: z.string().optional(),
  to: z
    .looseObject({
      reporter: z.boolean().optional(),
      assignee: z.boolean().optional(),
      watchers: z.boolean().optional(),
      voters: z.boolean().optional(),
      users: z.array(z.looseObject({ accountId: z.string().optional() })).optional(),
      groups: z.array(GroupRef).optional(),
      groupIds: z.array(z.string()).optional(),
    })
    .optional(),
  restrict: z
    .looseObject({
      groups: z.array(GroupRef).optional(),
      groupIds: z.array(z.string()).optional(),
      permissions: z.array(z.looseObject({ id: z.string().optional(), key: z.string().optional() })).optional(),
    })
    .optional(),
});

/** Project permission ids (Jira's numeric ids) of the keys the sim models. */
const PERMISSION_BY_ID: Readonly<Record<string, string>> = {
  '10': 'BROWSE_PROJECTS',
  '11': 'CREATE_ISSUES',
  '12': 'EDIT_ISSUES',
  '13': 'ASSIGN_ISSUES',
  '15': 'ADD_COMMENTS',
  '23': 'ADMINISTER_PROJECTS',
};

const KEY = '([A-Za-z0-9_-]+)';
const invalid = (message: string): SimError => new SimError(400, [message]);

export const NOTIFY_ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: new RegExp(`^/rest/api/3/issue/${KEY}/notify$`),
    handler: (store, req) => {
      const issue = store.get(req.params[0] as string);
      if (!store.hasPermission(req.actor, 'BROWSE_PROJECTS'))
        throw new SimError(404, ['Issue does not exist or you do not have permission to see it.']);
      const parsed = NotificationBody.safeParse(req.body);
      if (!parsed.success) throw invalid('Invalid request payload. Refer to the REST API documentation and try again.');
      const b = parsed.data;
      const named: string[] = [];
      if (b.to?.reporter === true) {
        if (issue.reporter === null) throw invalid('The issue has no reporter to notify.');
        named.push(issue.reporter);
      }
      if (b.to?.assignee === true) {
        if (issue.assignee === null) throw invalid('The issue is unassigned: there is no assignee to notify.');
        named.push(issue.assignee);
      }
      for (const u of b.to?.users ?? []) {
        if (u.accountId === undefined || !store.users.has(u.accountId))
          throw invalid(`The user ${u.accountId ?? '(no accountId)'} does not exist.`);
        named.push(u.accountId);
      }
      if ((b.to?.groups?.length ?? 0) > 0 || (b.to?.groupIds?.length ?? 0) > 0)
        throw invalid('The group does not exist.');
      if (named.includes(req.actor)) throw invalid('You cannot send a notification to yourself.');
      const permissions = (b.restrict?.permissions ?? []).map((p) => {
        const key = p.key ?? (p.id === undefined ? undefined : PERMISSION_BY_ID[p.id]);
        if (key === undefined) throw invalid(`The permission ${p.id ?? '(none)'} does not exist.`);
        return key;
      });
      const restrictedToGroups = (b.restrict?.groups?.length ?? 0) > 0 || (b.restrict?.groupIds?.length ?? 0) > 0;
      const to = [...new Set(named)].filter(
        (id) =>
          !restrictedToGroups &&
          store.hasPermission(id, 'BROWSE_PROJECTS') &&
          permissions.every((p) => store.hasPermission(id, p)),
      );
      store.notifications.push({
        issueKey: issue.key,
        actor: req.actor,
        at: store.clock(),
        subject: b.subject ?? `${issue.key}: ${issue.summary}`,
        textBody: b.textBody ?? null,
        htmlBody: b.htmlBody ?? null,
        to,
      });
      return { status: 204 };
    },
  },
];
