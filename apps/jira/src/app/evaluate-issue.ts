import type { SettledOutcome } from '../contracts/audit.ts';
import { idempotencyKey } from '@baton/core';
import type { Charter, Proposal } from '@baton/core';
import {
  ISSUE_STATE_PROPERTY,
  ISSUE_STATE_VERSION,
  IssueStateSchema,
  SUGGESTION_VERSION,
  writeIssueState,
} from '@baton/jira/issue-state';
import type { IssueState, Suggestion } from '@baton/jira/issue-state';
import { gateProposal } from './gate.ts';
import { kindsOf, proposalForJira, summaryOf } from './jira-proposal.ts';
import { handoffPacket, packetView } from './packet-view.ts';
import type { IssueFacts } from './issue-facts.ts';
import { routerDecisions } from './router-rules.ts';
import { clockOf, slaReadings } from './sla.ts';
import { compileAtRunTime, teamMembers } from './run-charter.ts';
import {
  charterForIssue,
  watchCaseDecisions,
  watchCaseFor,
  watchdogDecisions,
  watchdogDueAt,
} from './watchdog-rules.ts';
import { WatchRecordSchema, watchCaseOfRecord, watchRecordKey, watchRecordOf } from './watch-record.ts';
import { readClock } from '@baton/core';
import type { SlaReading } from '@baton/core';
import type { AppDeps } from './app-deps.ts';
import { recordAudit, utcDay } from './audit-entry.ts';
import { charterFor } from './charter-for.ts';
import { charterVersionFor } from './charter-version.ts';
import { RETENTION } from '../ports/record-store.ts';
import { executeDecision, nudgeRecipients } from './execute-decision.ts';
import { handoffDecisions } from './handoff.ts';
import { missingInfoDecisions, scheduleMissingInfo, storedMissingInfoDue } from './missing-info.ts';
import { conciergeProposals, settleConcierge, storedConciergeDue } from './concierge-on-change.ts';
import { offerInChat } from './chat-deliver.ts';
import { modelPredictions } from './model-classify.ts';
import { readIssue } from './read-issue.ts';
import { statusDirectory } from './status-directory.ts';
import { loadTrainedRouter } from './router-model.ts';
import { stateNormsFor } from './state-norms.ts';

export interface EvaluateResult {
  issueKey: string;
  outcomes: SettledOutcome[];
  state: IssueState;
}

/**
 * Open-issue load per person the router may pick (the charter's team members, or, when its teams
 * name nobody, the issue's assignable people): Jira's approximate count, one call each whatever the load
 * (paging every open issue of each candidate on each event cost a call per 5,000 issues, each).
 */
export async function candidateLoad(deps: AppDeps, issue: IssueFacts, charter: Charter): Promise<Map<string, number>> {
  const named = teamMembers(charter);
  const ids =
    named.length > 0
      ? named
      : (await deps.jira.assignableUsers({ issueKey: issue.key }))
          .filter((u) => u.accountType !== 'app')
          .map((u) => u.accountId);
  const load = new Map<string, number>();
  // Every member the charter's teams name is counted (the admin chose them; one left out could never be
  // picked); of the project's assignable people, the first ten.
  for (const id of named.length > 0 ? ids : ids.slice(0, 10)) {
    load.set(
      id,
      await deps.jira.approximateCount(
        `project = "${issue.projectKey}" AND assignee = "${id}" AND statusCategory != Done`,
      ),
    );
  }
  return load;
}

/**
 * The site's default priority, read only when the charter classifies priority and the issue's priority
 * has never been changed (otherwise it is a person's choice whatever the default is).
 */
async function defaultPriorityFor(deps: AppDeps, issue: IssueFacts, charter: Charter): Promise<string | null> {
  if (!charter.routing.classify.some((r) => r.field === 'priority')) return null;
  if (issue.record.events.some((e) => e.kind === 'field' && e.field === 'priority')) return null;
  return (await deps.jira.priorities({ onlyDefault: true })).find((p) => p.isDefault === true)?.name ?? null;
}

/**
 * When the issue must be looked at again though nothing changes in Jira, for the due-time index:
 * core's watchdog says when its decisions could change (`watchdogDue`); the panel's clocks add when
 * they turn at risk or reach their target. Later activity brings the issue back through JQL.
 */
function nextDueAt(readings: readonly SlaReading[], watchdogDue: number | null, now: number): number | null {
  const future = [watchdogDue, ...readings.flatMap((r) => [r.atRiskAt, r.dueAt])].filter(
    (t): t is number => t !== null && t > now,
  );
  return future.length === 0 ? null : Math.min(...future);
}

const UTC_DAY_MS = 86_400_000;
/** The gate's rules of the per-day caps: a decision they defer may go when the UTC day's slots are new. */
const DAY_CAPS: ReadonlySet<string> = new Set(['caps.perCaseDay', 'caps.perPersonDay']);

const earliest = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/**
 * `watchdogDue`, or the next UTC midnight when a nudge was deferred by a cap: core's look-ahead knows
 * the issue's own count but not the person's (counted across issues, here in app storage), and a
 * nudge held back by either may go when the day's slots are new.
 */
function dueAfterCaps(watchdogDue: number | null, outcomes: EvaluateResult['outcomes'], now: number): number | null {
  if (!outcomes.some((o) => o.outcome === 'deferred' && DAY_CAPS.has(o.because.code))) return watchdogDue;
  const midnight = (Math.floor(now / UTC_DAY_MS) + 1) * UTC_DAY_MS;
  return watchdogDue === null ? midnight : Math.min(watchdogDue, midnight);
}

/** The thresholds of the watchdog's proposals that are done with (executed, suggested, dropped for good, seen before): not deferred. */
function settledThresholds(proposals: readonly Proposal[], outcomes: EvaluateResult['outcomes']): string[] {
  const deferred = new Set(outcomes.filter((o) => o.outcome === 'deferred').map((o) => o.key));
  return proposals.flatMap((p) => (p.pattern === 'watchdog' && !deferred.has(idempotencyKey(p)) ? [p.threshold] : []));
}

/**
 * The issue's pending suggestions from app storage; one whose decision was answered or resolved since
 * (its effect no longer `suggested`) is removed from storage on the way.
 */
export async function pendingSuggestions(storage: AppDeps['storage'], issueKey: string): Promise<Suggestion[]> {
  const out: Suggestion[] = [];
  for (const sg of await storage.listSuggestions(issueKey)) {
    if ((await storage.getEffect(sg.key))?.state === 'suggested') out.push(sg);
    else await storage.deleteSuggestion(issueKey, sg.key);
  }
  return out;
}

/**
 * Passes each proposal through the charter's gate, once (core's `applyCharter`, with the caps as they
 * stand in app storage), and carries out core's decision (exactly once), stores it as a suggestion,
 * defers or drops it; then prunes answered suggestions. Shared by the evaluation from Jira and the one
 * from the stored WatchCase.
 */
export async function settleDecisions(
  deps: AppDeps,
  charter: Charter,
  issueKey: string,
  proposals: readonly Proposal[],
  now: number,
  lastHumanActivityAt: number | null,
): Promise<{
  prev: IssueState | undefined;
  suggestions: Suggestion[];
  recent: IssueState['recent'];
  outcomes: EvaluateResult['outcomes'];
}> {
  const previous = IssueStateSchema.safeParse(await deps.jira.getIssueProperty(issueKey, ISSUE_STATE_PROPERTY));
  const prev = previous.success ? previous.data : undefined;
  const recent = [...(prev?.recent ?? [])];
  const outcomes: EvaluateResult['outcomes'] = [];

  for (const p of proposals) {
    const key = idempotencyKey(p);
    const seen = await deps.storage.getEffect(key);
    if (seen !== undefined && seen.state !== 'claimed') {
      outcomes.push({ key, outcome: 'duplicate' });
      continue;
    }
    const day = utcDay(now);
    const personNudgesToday = new Map<string, number>();
    for (const person of nudgeRecipients(p))
      personNudgesToday.set(person, await deps.storage.personNudgesToday(person, day));
    const { decision: d, verdict } = gateProposal(p, charter, {
      now,
      nudgesToday: await deps.storage.nudgesToday(issueKey, day),
      ...(personNudgesToday.size === 0 ? {} : { personNudgesToday }),
      lastHumanActivityAt,
    });
    let result: SettledOutcome;
    if (verdict === 'act') {
      const done = await executeDecision(deps, d, 'app', {
        nudgeCap: charter.caps.maxNudgesPerCasePerDay,
        personCap: charter.caps.maxNudgesPerPersonPerDay,
        byGate: true,
        charter,
      });
      result = typeof done === 'string' ? { key, outcome: done } : { key, outcome: 'deferred', because: done.deferred };
    } else if (verdict === 'suggest') {
      // A claim left by an interrupted earlier run is ours to finish.
      if ((await deps.storage.claimEffect(d.id, now)) || (await deps.storage.getEffect(d.id))?.state === 'claimed') {
        // Stored before it is marked suggested: a pending suggestion always has its decision in storage.
        const suggestion: Suggestion = {
          version: SUGGESTION_VERSION,
          key: d.id,
          summary: summaryOf(d),
          createdAt: now,
          decision: d,
        };
        await deps.storage.putSuggestion(issueKey, suggestion);
        await deps.storage.setEffect(d.id, { state: 'suggested', at: now });
        const why = { reason: `${d.reason} (${d.dispositionRule})` };
        await recordAudit(deps.storage, d, 'suggested', now, 'app', why, true);
        await offerInChat(deps, suggestion, now);
        result = { key, outcome: 'suggested' };
      } else result = { key, outcome: 'duplicate' };
    } else if (verdict === 'drop') {
      // Remembered so that the audit log says once, not every tick, that the charter said no.
      if (await deps.storage.claimEffect(d.id, now)) {
        await deps.storage.setEffect(d.id, { state: 'resolved', at: now, detail: d.dispositionRule });
        await recordAudit(
          deps.storage,
          d,
          'dropped',
          now,
          'app',
          { reason: `${d.reason} (${d.dispositionRule})` },
          true,
        );
      }
      result = { key, outcome: 'dropped' };
    } else {
      // Deferred: nothing is claimed, so a later tick (after quiet hours, next day) acts.
      result = { key, outcome: 'deferred', because: verdict.defer };
    }
    outcomes.push(result);
    if (result.outcome !== 'duplicate') recent.push({ key, kind: kindsOf(d), outcome: result.outcome, at: now });
  }

  // The panel's list is rebuilt from storage, not from the property: another evaluation of the issue
  // running at the same time adds its suggestion under its own key, and both survive.
  return { prev, suggestions: await pendingSuggestions(deps.storage, issueKey), recent, outcomes };
}

/**
 * Looks at one issue as it is in Jira now: SLA clocks, the router's and the watchdog's decisions,
 * each passed through the charter's gate and then executed (exactly once), suggested, deferred or
 * dropped; then the issue property the panel and the extension read, and the due-time index.
 */
export async function evaluateIssue(
  deps: AppDeps,
  issueKey: string,
  opts: { route?: boolean; dryRun?: boolean } = {},
): Promise<EvaluateResult> {
  const now = deps.now();
  const projectKey = issueKey.split('-')[0] as string;
  const charter = await charterFor(deps.storage, projectKey);
  const issue = await readIssue(deps.jira, issueKey, charter, statusDirectory(deps));
  const readings = slaReadings(issue, charter, now);
  const sla = readings.map(clockOf);
  const nudgesToday = await deps.storage.nudgesToday(issue.key, utcDay(now));
  // The watchdog's per-state norms learned from the project's resolved issues (the charter's own win).
  const norms = await stateNormsFor(deps.storage, projectKey);
  const route = opts.route !== false;
  const defaultPriority = route ? await defaultPriorityFor(deps, issue, charter) : null;
  // Where the charter lets a model classify: its answers first (asked once per text: the guard caches them).
  const modelPredicted = route ? await modelPredictions(deps, issue, charter, defaultPriority) : undefined;
  const fullPacket = handoffPacket(issue, charter, sla, now);
  // The model trained on the project's resolved issues, and its skills history (router-model.ts).
  const trained = route && issue.phase !== 'done' ? await loadTrainedRouter(deps.storage, projectKey) : undefined;
  const concierge = (await conciergeProposals(deps, issue, charter, fullPacket, now)).flatMap(
    (p) => proposalForJira(p) ?? [],
  );
  const proposals: Proposal[] = [
    // The router runs whether or not the issue has an owner: core skips the owner step when there is
    // one, and still proposes what is missing (a due date, classification). Load is read only when an
    // owner is to be chosen.
    ...(route
      ? routerDecisions(
          issue,
          issue.assignee === null ? await candidateLoad(deps, issue, charter) : new Map(),
          charter,
          now,
          {
            defaultPriority,
            ...(modelPredicted === undefined ? {} : { modelPredictions: modelPredicted }),
            ...(trained === undefined ? {} : { trained }),
          },
        )
      : []),
    ...watchdogDecisions(issue, sla, charter, now, nudgesToday, norms),
    // The missing-information loop, on every evaluation: readiness is checked again each time.
    ...(await missingInfoDecisions(deps, issue, charter, now)),
    // The clerk: a new owner receives the packet (once per change of owner).
    ...(await handoffDecisions(deps, issue, fullPacket, charter, now)),
    // The concierge: updates for the audiences the charter names, on a meaningful change.
    ...concierge,
  ];

  const { prev, suggestions, recent, outcomes } = await settleDecisions(
    deps,
    charter,
    issue.key,
    proposals,
    now,
    issue.lastHumanActivityAt,
  );
  const packet = packetView(fullPacket);
  const state = writeIssueState({
    schema: ISSUE_STATE_VERSION,
    issueKey: issue.key,
    updatedAt: now,
    phase: issue.phase,
    sla,
    suggestions,
    ready: packet.definitionOfReady,
    recent: recent.slice(-20),
    packet,
  });
  if (
    JSON.stringify({ ...state, updatedAt: 0 }) !==
    JSON.stringify(prev === undefined ? undefined : { ...prev, updatedAt: 0 })
  ) {
    await deps.jira.setIssueProperty(issue.key, ISSUE_STATE_PROPERTY, state);
  }
  // Nudges sent just now count against today's cap of what is still deferred.
  const wc = watchCaseFor(issue, charter, now, await deps.storage.nudgesToday(issue.key, utcDay(now)));
  const loopDue = await scheduleMissingInfo(deps, issue, charter, now);
  const conciergeDue = await settleConcierge(deps, issue, charter, concierge, outcomes, now);
  const watchdogDue = dueAfterCaps(
    earliest(
      watchdogDueAt(wc, charterForIssue(issue, charter), now, settledThresholds(proposals, outcomes), norms),
      earliest(loopDue, conciergeDue),
    ),
    outcomes,
    now,
  );
  await deps.storage.setDue(issue.key, nextDueAt(readings, watchdogDue, now));
  await deps.storage.putJson(
    watchRecordKey(issue.key),
    watchRecordOf(issue, charter, now, await charterVersionFor(deps.storage, projectKey)),
    { ttl: RETENTION.watchRecord },
  );
  return { issueKey: issue.key, outcomes, state };
}

/**
 * The watchdog's look at an issue that did not change but whose clock or idle time crossed a line
 * (it came from the due-time index): core's watchdog over the stored WatchCase, the SLA clocks read
 * from it, no read of the issue and its changelog. Falls back to `evaluateIssue` when there is no
 * record or the charter changed since it was written.
 */
export async function evaluateWatched(deps: AppDeps, issueKey: string): Promise<EvaluateResult> {
  const now = deps.now();
  const projectKey = issueKey.split('-')[0] as string;
  const charter = await charterFor(deps.storage, projectKey);
  const parsed = WatchRecordSchema.safeParse(await deps.storage.getJson(watchRecordKey(issueKey)));
  if (!parsed.success || parsed.data.charterVersion !== (await charterVersionFor(deps.storage, projectKey)))
    return evaluateIssue(deps, issueKey, { route: false });
  const record = parsed.data;
  const compiled = compileAtRunTime(charter, { states: record.states });
  if (compiled.goals.map((g) => g.id).join('\n') !== record.goals.join('\n'))
    return evaluateIssue(deps, issueKey, { route: false });
  const wc = watchCaseOfRecord(record, await deps.storage.nudgesToday(issueKey, utcDay(now)));
  const norms = await stateNormsFor(deps.storage, projectKey);
  const proposals = watchCaseDecisions(wc, compiled, now, norms);
  const { prev, suggestions, recent, outcomes } = await settleDecisions(
    deps,
    charter,
    issueKey,
    proposals,
    now,
    record.lastHumanActivityAt,
  );
  const readings = compiled.goals.flatMap((g, i) => {
    const clock = wc.clocks[i];
    return clock === null || clock === undefined ? [] : [readClock(g, clock, now)];
  });
  const sla = readings.map(clockOf);
  const state = writeIssueState({
    schema: ISSUE_STATE_VERSION,
    issueKey,
    updatedAt: now,
    phase: prev?.phase ?? null,
    ready: prev?.ready ?? [],
    ...(prev?.packet === undefined ? {} : { packet: prev.packet }),
    sla,
    suggestions,
    recent: recent.slice(-20),
  });
  if (
    JSON.stringify({ ...state, updatedAt: 0 }) !==
    JSON.stringify(prev === undefined ? undefined : { ...prev, updatedAt: 0 })
  ) {
    await deps.jira.setIssueProperty(issueKey, ISSUE_STATE_PROPERTY, state);
  }
  const after = { ...wc, nudgesToday: await deps.storage.nudgesToday(issueKey, utcDay(now)) };
  await deps.storage.setDue(
    issueKey,
    nextDueAt(
      readings,
      dueAfterCaps(
        // The missing-information loop's next step (not due yet, or the sweep would have read the issue) keeps its place.
        earliest(
          watchdogDueAt(after, compiled, now, settledThresholds(proposals, outcomes), norms),
          earliest(
            await storedMissingInfoDue(deps.storage, issueKey),
            await storedConciergeDue(deps.storage, issueKey),
          ),
        ),
        outcomes,
        now,
      ),
      now,
    ),
  );
  return { issueKey, outcomes, state };
}
