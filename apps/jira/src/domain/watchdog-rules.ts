import type { Charter } from '../contracts/charter.ts';
import type { SlaClock } from '../contracts/issue-state.ts';
import { businessMsBetween, parseDuration } from './app-calendar.ts';
import { decisionKey } from './decision.ts';
import type { AppDecision } from './decision.ts';
import type { IssueFacts } from './issue-facts.ts';

const hoursText = (ms: number, dayMs: number): string =>
  ms >= dayMs ? `${Math.round((ms / dayMs) * 10) / 10} business days` : `${Math.round(ms / 360_000) / 10} business hours`;

/**
 * The watchdog's rules: nudge the owner when an active issue has been silent too long, and escalate
 * when an SLA clock breaches. Keys are anchored on the episode (last activity, breach of a goal),
 * so one stall gets one nudge however often the tick runs.
 */
export function watchdogDecisions(issue: IssueFacts, sla: readonly SlaClock[], charter: Charter, now: number): AppDecision[] {
  if (issue.phase === 'done') return [];
  const out: AppDecision[] = [];
  const cal = charter.calendar;
  const dayMs = parseDuration('1d', cal);
  const silent = businessMsBetween(issue.lastHumanActivityAt, now, cal);
  const staleAfter = parseDuration(charter.watchdog.staleAfter, cal);
  if ((issue.phase === 'active' || issue.phase === 'queue') && silent >= staleAfter) {
    const to = issue.assignee;
    out.push({
      key: decisionKey('watchdog', 'stale', issue.key, issue.lastHumanActivityAt),
      pattern: 'watchdog',
      kind: 'nudge',
      issueKey: issue.key,
      summary: to ? `Nudge the assignee: no activity for ${hoursText(silent, dayMs)}` : `Nobody owns this issue and it has been silent for ${hoursText(silent, dayMs)}`,
      reason: `"${issue.status}" with no activity for ${hoursText(silent, dayMs)} (threshold ${charter.watchdog.staleAfter}).`,
      evidence: [`last activity ${new Date(issue.lastHumanActivityAt).toISOString()}`, `priority ${issue.priority ?? 'none'}`],
      confidence: 0.9,
      risk: 'low',
      proposal: { to, text: `${issue.key} has had no activity for ${hoursText(silent, dayMs)} in "${issue.status}". Is it still moving?` },
    });
  }
  for (const clock of sla) {
    if (clock.state !== 'breached') continue;
    out.push({
      key: decisionKey('watchdog', 'breach', issue.key, clock.goal),
      pattern: 'watchdog',
      kind: 'escalate',
      issueKey: issue.key,
      summary: `SLA "${clock.goal}" breached`,
      reason: `${hoursText(clock.elapsedMs, dayMs)} elapsed against a target of ${hoursText(clock.targetMs, dayMs)}.`,
      evidence: [`status ${issue.status}`, `assignee ${issue.assignee ?? 'none'}`],
      confidence: 0.95,
      risk: 'medium',
      proposal: { to: issue.assignee, text: `SLA "${clock.goal}" on ${issue.key} is breached. Who takes it from here?` },
    });
  }
  return out;
}
