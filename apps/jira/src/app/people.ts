import * as z from 'zod';
import type { Action, Proposal } from '@baton/core';
import type { Suggestion } from '@baton/jira/issue-state';
import { personOf } from './jira-proposal.ts';
import type { AppDeps } from './app-deps.ts';

/**
 * People by name. Core and the audit speak in account ids; whatever a person reads names people
 * (`Assign to Ada Lovelace`). Names come from Jira's user API (`GET /user/bulk`) and are kept in app
 * storage for a day, so a panel view or an evaluation asks Jira only for people it has not seen lately.
 */

/** How long a name read from Jira is used before it is read again (a renamed person shows within a day). */
export const NAME_TTL_MS = 24 * 60 * 60 * 1000;

/** What Jira shows for an account it no longer knows. */
export const FORMER_USER = 'Former user';

const CachedName = z.object({ name: z.string(), at: z.number() });
const cacheKey = (accountId: string): string => `person:${accountId}`;

/**
 * The display name of each account id: from the cache when read within `NAME_TTL_MS`, the rest in one
 * bulk read. An id Jira does not return is `Former user` (not cached: it may be a person Jira cannot
 * show yet). A failed read leaves the ids it could not name out of the map: callers show what they have.
 */
export async function displayNames(
  deps: Pick<AppDeps, 'jira' | 'storage' | 'now'>,
  accountIds: readonly string[],
): Promise<Map<string, string>> {
  const now = deps.now();
  const names = new Map<string, string>();
  const missing: string[] = [];
  for (const id of new Set(accountIds)) {
    const cached = CachedName.safeParse(await deps.storage.getJson(cacheKey(id)));
    if (cached.success && now - cached.data.at < NAME_TTL_MS) names.set(id, cached.data.name);
    else missing.push(id);
  }
  if (missing.length === 0) return names;
  let users;
  try {
    users = await deps.jira.users(missing);
  } catch {
    return names;
  }
  for (const u of users) {
    if (u.displayName === undefined) continue;
    names.set(u.accountId, u.displayName);
    await deps.storage.putJson(cacheKey(u.accountId), { name: u.displayName, at: now });
  }
  for (const id of missing) if (!names.has(id)) names.set(id, FORMER_USER);
  return names;
}

/**
 * A text with each account id the map names replaced by the name: for texts core words with ids
 * (`Assign to u-ada`). Longest ids first, whole tokens only, so one id inside another is not touched.
 */
export function withNames(text: string, names: ReadonlyMap<string, string>): string {
  let out = text;
  for (const id of [...names.keys()].sort((a, b) => b.length - a.length)) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`, 'g'), names.get(id) as string);
  }
  return out;
}

/**
 * The account ids a decision's texts may name: whom its actions reach (`personOf`) and the people core
 * listed for its messages (`people`: the reporter a stall waits on, the owner a lead hears of). A
 * team's queue (an assign to the team) is no person.
 */
export function peopleNamedBy(d: Pick<Proposal, 'actions' | 'people'>): string[] {
  const ids = d.actions.flatMap((a) => {
    const who = personOf(a);
    return who === null || (a.kind === 'assign' && a.to === a.team) ? [] : [who];
  });
  return [...new Set([...ids, ...(d.people ?? [])])];
}

/** One action's words with people by name; who it reaches (`to`, `from`) stays the id. */
function namedAction(a: Action, names: ReadonlyMap<string, string>): Action {
  const n = (t: string): string => withNames(t, names);
  switch (a.kind) {
    case 'notify':
      return { ...a, message: n(a.message), ...(a.subject === undefined ? {} : { subject: n(a.subject) }) };
    case 'escalate':
    case 'requestInfo':
      return { ...a, message: n(a.message) };
    case 'comment':
      return { ...a, body: n(a.body) };
    default:
      return a;
  }
}

/**
 * A decision as the people it reaches read it: its reason and every message, comment and subject with
 * each id the map names shown by name. The audit keeps the decision as core made it (ids only).
 */
export function namedTexts<D extends Pick<Proposal, 'actions' | 'reason'>>(
  d: D,
  names: ReadonlyMap<string, string>,
): D {
  if (names.size === 0) return d;
  return { ...d, reason: withNames(d.reason, names), actions: d.actions.map((a) => namedAction(a, names)) };
}

/**
 * Pending suggestions as a person reads them: each account id the decision names (who is assigned,
 * nudged, asked, escalated to, written to, and the people its messages name) shown by name in the
 * summary and the reason. The actions themselves keep the id (accepting writes it).
 */
export async function namedSuggestions(
  deps: Pick<AppDeps, 'jira' | 'storage' | 'now'>,
  suggestions: readonly Suggestion[],
): Promise<Suggestion[]> {
  const ids = suggestions.flatMap((s) => peopleNamedBy(s.decision));
  if (ids.length === 0) return [...suggestions];
  const names = await displayNames(deps, ids);
  return suggestions.map((s) => ({
    ...s,
    summary: withNames(s.summary, names),
    decision: { ...s.decision, reason: withNames(s.decision.reason, names) },
  }));
}
