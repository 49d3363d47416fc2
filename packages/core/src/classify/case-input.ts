import type { CaseRecord } from '../model/case.ts';
import type { RoutingInput } from './features.ts';

/**
 * A case as the router sees it. Attributes are flattened to strings (the Jira mapping stores
 * project, issuetype, priority, components, labels, reporter and resolution under those names); the
 * case's current owner stands in for `assignee` when no attribute says otherwise.
 */
export function routingInputFromCase(c: CaseRecord): RoutingInput {
  // Attribute names come from data (a CSV column may be called `__proto__`): no prototype to write through.
  const fields: Record<string, string | readonly string[]> = Object.create(null);
  for (const [key, value] of Object.entries(c.attributes)) {
    if (Array.isArray(value)) fields[key] = value;
    else if (value !== null && value !== undefined) fields[key] = String(value);
  }
  if (fields['assignee'] === undefined && c.owner !== null && c.owner !== undefined) fields['assignee'] = c.owner;
  const created = c.events.find((e) => e.kind === 'created')?.at ?? c.events[0]?.at;
  return {
    id: c.id,
    title: c.title ?? '',
    body: c.description ?? '',
    ...(created === undefined ? {} : { createdAt: created }),
    fields,
  };
}
