import type { Charter } from '../contracts/charter.ts';
import { decisionKey } from './decision.ts';
import type { AppDecision } from './decision.ts';
import type { IssueFacts } from './issue-facts.ts';

/**
 * The router's rule for unowned work: propose the least-loaded candidate. Load is the number of
 * open issues each candidate holds (read by the caller). One key per issue: routing happens once.
 */
export function routerDecisions(issue: IssueFacts, load: ReadonlyMap<string, number>, charter: Charter): AppDecision[] {
  if (issue.assignee !== null || issue.phase === 'done' || load.size === 0) return [];
  const allowed = charter.routing.candidates;
  const ranked = [...load]
    .filter(([id]) => allowed.length === 0 || allowed.includes(id))
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const best = ranked[0];
  if (best === undefined) return [];
  const second = ranked[1];
  // A clear winner is more certain than a tie broken by name.
  const confidence = second === undefined || second[1] > best[1] ? 0.85 : 0.6;
  return [
    {
      key: decisionKey('router', 'assign', issue.key),
      pattern: 'router',
      kind: 'assign',
      issueKey: issue.key,
      summary: `Assign to ${best[0]} (${best[1]} open issues)`,
      reason: `Unassigned; ${best[0]} has the lightest load among ${ranked.length} candidates.`,
      evidence: ranked.slice(0, 3).map(([id, n]) => `${id}: ${n} open`),
      confidence,
      risk: issue.priority === 'Highest' ? 'medium' : 'low',
      proposal: { assignee: best[0] },
    },
  ];
}
