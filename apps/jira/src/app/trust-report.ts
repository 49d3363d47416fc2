import { PatternSchema, readLegacyRule, trustFromEvents } from '@baton/core';
import type { PatternTrust, ProposalSource } from '@baton/core';
import type { AuditEntry } from '../contracts/audit.ts';
import type { TrustReport } from '../contracts/trust.ts';
import { trustEventsOf } from './trust-score.ts';
import type { AppDeps } from './app-deps.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Rows one report reads (100 a page, Forge's limit): a bound on the resolver's time; the oldest beyond it are left out. */
export const TRUST_MAX_ROWS = 3000;

/** Monday 00:00 UTC of the week holding `ms`. */
const weekStart = (ms: number): number => {
  const day = Math.floor(ms / DAY_MS);
  // 1970-01-01 was a Thursday: (day + 3) % 7 is the days since Monday.
  return (day - ((day + 3) % 7)) * DAY_MS;
};

/**
 * A project's trust over the last `weeks` weeks, read from its own audit rows (the `by-project` index,
 * newest first, page by page) and counted by core's `trustFromEvents`: per pattern, per rule (the
 * pattern's rule that proposed: `router.owner`, `watchdog.stall`), and per week, so a team lead sees
 * whether people agree with the agent more or less over time and where what they did differs (drift).
 */
export async function trustReport(deps: AppDeps, projectKey: string, weeks: number): Promise<TrustReport> {
  const to = deps.now();
  const from = weekStart(to) - (weeks - 1) * WEEK_MS;
  const rows: AuditEntry[] = [];
  let cursor: string | undefined;
  let partial = false;
  do {
    const page = await deps.storage.queryAudit({
      projectKey,
      since: from - 1,
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    rows.push(...page.entries);
    cursor = page.nextCursor;
    if (rows.length >= TRUST_MAX_ROWS && cursor !== undefined) partial = true;
  } while (cursor !== undefined && !partial);
  // Per rule and per source: a model's guesses earn (or lose) trust apart from the same rule's own firings.
  const byRule = new Map<string, { rule: string; source: ProposalSource; rows: AuditEntry[] }>();
  const byWeek = new Map<number, AuditEntry[]>();
  for (const r of rows) {
    const { rule, source = 'rules' } = readLegacyRule(r.rule ?? `app.${r.kind}`, r.source);
    const w = weekStart(r.at);
    const group = `${rule.length}:${rule}|${source}`;
    byRule
      .set(group, byRule.get(group) ?? { rule, source, rows: [] })
      .get(group)
      ?.rows.push(r);
    byWeek
      .set(w, byWeek.get(w) ?? [])
      .get(w)
      ?.push(r);
  }
  const score = (some: readonly AuditEntry[]) => trustFromEvents(some.flatMap(trustEventsOf));
  return {
    projectKey,
    from,
    to,
    rows: rows.length,
    partial,
    patterns: score(rows),
    rules: [...byRule.values()]
      .map(({ rule, source, rows: some }) => {
        const pattern = PatternSchema.catch('router').parse(some[0]?.pattern);
        const trust = score(some)[pattern] as PatternTrust;
        return { rule, source, pattern, trust };
      })
      .filter((r) => r.trust !== undefined)
      .sort((a, b) => a.rule.localeCompare(b.rule) || a.source.localeCompare(b.source)),
    weeks: Array.from({ length: weeks }, (_, i) => {
      const w = from + i * WEEK_MS;
      return { week: new Date(w).toISOString().slice(0, 10), patterns: score(byWeek.get(w) ?? []) };
    }),
  };
}
