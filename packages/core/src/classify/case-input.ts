import type { CaseRecord } from '../model/case.ts';
import type { RoutingInput } from './features.ts';

/**
 * A case as the router sees it. Attributes are flattened to strings (Jira readers store project,
 * issuetype, priority, components, labels, reporter, assignee, resolution under those names).
 */
export function routingInputFromCase(c: CaseRecord): RoutingInput {
  const fields: Record<string, string | readonly string[]> = {};
  for (const [key, value] of Object.entries(c.attributes)) {
    if (Array.isArray(value)) fields[key] = value;
    else if (value !== null && value !== undefined) fields[key] = String(value);
  }
  const created = c.events.find((e) => e.kind === 'created')?.at ?? c.events[0]?.at;
  return {
    id: c.id,
    title: c.title ?? '',
    body: c.description ?? '',
    ...(created === undefined ? {} : { createdAt: created }),
    fields,
  };
}
