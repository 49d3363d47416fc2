import type { JiraClient } from '@baton/jira';

/**
 * A Jira client whose `priorities` (`GET /priority/search`: the site's order, or with `onlyDefault` the default one)
 * is read at most once per kind for as long as the client lives: `forgeDeps` builds one per invocation, so a watchdog
 * tick that raises the priority of many issues, or an invocation that routes several events, reads each once. A read
 * that failed is not kept: the next call reads again. Everything else goes straight to `jira`.
 */
export function cachePriorities(jira: JiraClient): JiraClient {
  const reads = new Map<'all' | 'default', ReturnType<JiraClient['priorities']>>();
  return {
    ...jira,
    priorities(opts = {}) {
      const kind = opts.onlyDefault === true ? 'default' : 'all';
      const kept = reads.get(kind);
      if (kept !== undefined) return kept;
      const read = jira.priorities(opts);
      reads.set(kind, read);
      read.catch(() => reads.delete(kind));
      return read;
    },
  };
}
