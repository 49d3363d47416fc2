import { buildHandoffPacket, changesBetween, createWorkflowResolver, draftForAudience } from '@baton/core';
import type { SlaRisk } from '@baton/core';
import { mapIssue } from '@baton/jira';
import {
  ISSUE_STATE_PROPERTY,
  packetView,
  readIssueState,
  slaDisplay,
  slaRiskOf,
  worstClock,
} from '@baton/jira/issue-state';
import type { IssueState, PacketView } from '@baton/jira/issue-state';
import type { Audience, CaseSummary, CaseView, Packet, Sla } from '../messaging/protocol.ts';
import type { AudiencePreset } from '../settings/settings.ts';
import type { JiraIssue } from './jira-issue.ts';

// The case as the rep sees it, from the issue the rep's browser reads: the packet view the Jira app
// stored in `baton.state`, or core's clerk run here on the issue and its changelog (the same
// `packetView` the app stores); the draft is core's concierge for the audience the rep picked.
// Deterministic, no model. Ticket text is quoted as data, never followed.

export function toCaseSummary(issue: JiraIssue, url: string): CaseSummary {
  const cat = issue.fields.status?.statusCategory?.key;
  return {
    key: issue.key,
    summary: issue.fields.summary,
    status: issue.fields.status?.name ?? 'Unknown',
    statusCategory: cat === 'new' || cat === 'indeterminate' || cat === 'done' ? cat : 'unknown',
    assignee: issue.fields.assignee?.displayName ?? null,
    url,
  };
}

/** The clock closest to trouble, as the app's panel words it; null when the app stored none. */
function slaOf(state: IssueState | undefined): Sla | null {
  const worst = state === undefined ? undefined : worstClock(state.sla);
  return worst === undefined ? null : slaDisplay(worst);
}

/** The app's clock as core's SLA risk: one mapping, owned with the states (`slaRiskOf`). */
const slaRisk = (sla: Sla | null): SlaRisk => (sla === null ? 'none' : slaRiskOf([sla]));

/** Display names by account id, from every user object in the issue JSON. */
export function accountNames(raw: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.accountId === 'string' && typeof o.displayName === 'string') names.set(o.accountId, o.displayName);
      Object.values(o).forEach(walk);
    }
  };
  walk(raw);
  return names;
}

function withNames(text: string, names: Map<string, string>): string {
  let out = text;
  for (const [id, display] of names) if (id.length >= 3) out = out.split(id).join(display);
  return out;
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

/** The packet view as a person reads it: names instead of account ids, issue keys as addresses. */
export function displayPacket(
  view: PacketView,
  names: Map<string, string>,
  browseUrl: (key: string) => string,
  source: Packet['source'],
): Packet {
  const named = (t: string): string => withNames(t, names);
  return {
    ...view,
    summary: named(view.summary),
    decisions: view.decisions.map(named),
    openQuestions: view.openQuestions.map(named),
    risks: view.risks.map(named),
    links: view.links.map((l) => ({ title: l.title, url: ISSUE_KEY.test(l.url) ? browseUrl(l.url) : l.url })),
    nextOwner: view.nextOwner === null ? null : (names.get(view.nextOwner) ?? view.nextOwner),
    source,
  };
}

export interface CaseViewOptions {
  readonly site: string;
  readonly browseUrl: (key: string) => string;
  readonly audience: Audience;
  readonly preset: AudiencePreset;
  /** Epoch ms: the moment the packet describes. */
  readonly now: number;
}

export type CaseViewResult = { ok: true; view: CaseView } | { ok: false; message: string };

/**
 * Everything the overlay shows for one case.
 * @param issue the issue as `GET /rest/api/3/issue/{key}?expand=changelog` returns it, with `baton.state`
 * @returns the view, or why Jira's answer cannot be read as a case (naming the field)
 */
export function buildCaseView(issue: JiraIssue, o: CaseViewOptions): CaseViewResult {
  const url = o.browseUrl(issue.key);
  const summary = toCaseSummary(issue, url);
  const state = readIssueState(issue.properties?.[ISSUE_STATE_PROPERTY]);
  const sla = slaOf(state);
  const mapped = mapIssue(issue, { source: `jira:${o.site}` });
  if (!mapped.ok) {
    const first = mapped.issues[0];
    const where = first === undefined ? '' : ` (${first.path.join('.')}: ${first.message})`;
    return { ok: false, message: `Jira's answer for ${issue.key} cannot be read as a case${where}.` };
  }
  const { record, hints } = mapped.value;
  const resolve = createWorkflowResolver(undefined, hints);
  // No charter here, so no state's definition of ready: the app's, when it stored one.
  const handoff = buildHandoffPacket(record, { at: o.now, resolve, sla: slaRisk(sla) });
  const view = state?.packet ?? { ...packetView(handoff), definitionOfReady: state?.ready ?? [] };
  const names = accountNames(issue);
  const packet = displayPacket(view, names, o.browseUrl, state?.packet === undefined ? 'browser' : 'jira-app');

  // What changed since the reporter (the customer) last wrote is the news; their latest open question
  // is what the customer's update answers first.
  const reporter = typeof record.attributes['reporter'] === 'string' ? record.attributes['reporter'] : null;
  const fromCustomer = record.events.filter((e) => e.kind === 'comment' && e.actor === reporter).at(-1);
  const from = fromCustomer?.at ?? record.events[0]?.at ?? o.now;
  const { before, after, changes } = changesBetween(record, from, o.now, resolve, () => slaRisk(sla));
  const priority = record.attributes['priority'];
  const d = draftForAudience(o.audience, {
    before,
    after,
    changes,
    packet: handoff,
    customerReference: record.id,
    customerQuestion: handoff.openQuestions.filter((q) => q.by !== null && q.by === reporter).at(-1)?.text ?? null,
    priority: typeof priority === 'string' ? priority : null,
  });
  // The rep's greeting and sign-off frame the concierge's text.
  const text = [o.preset.greeting, withNames(d.body, names), o.preset.signOff].filter((t) => t.trim() !== '');
  return {
    ok: true,
    view: {
      case: summary,
      packet,
      sla,
      drafts: [{ audience: o.audience, subject: withNames(d.subject, names), text: text.join('\n\n') }],
    },
  };
}
