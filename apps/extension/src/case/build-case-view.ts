import type { JiraIssue } from '../jira/jira-api.ts';
import { BATON_STATE_PROPERTY } from '../jira/jira-api.ts';
import type { Audience, CaseSummary, CaseView, Sla } from '../messaging/protocol.ts';
import type { AudiencePreset } from '../settings/settings.ts';
import { parseBatonState } from './baton-state.ts';
import type { BatonState } from './baton-state.ts';
import { draftFor } from './drafts.ts';
import { localPacket } from './local-packet.ts';

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

const SLA_WORDS: Record<Sla['state'], string> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  breached: 'Breached',
  paused: 'Paused',
  met: 'Met',
  none: 'No SLA',
};

function slaOf(state: BatonState | undefined): Sla | null {
  const s = state?.sla;
  if (s === undefined) return null;
  const due = s.dueAt ?? null;
  const label = s.label ?? [SLA_WORDS[s.state], s.goal, due === null ? undefined : `due ${due}`].filter(Boolean).join(' · ');
  return { state: s.state, label, dueAt: due };
}

/** Everything the overlay shows for one case: from the Jira app's stored state when there is one. */
export function buildCaseView(issue: JiraIssue, browseUrl: string, audience: Audience, preset: AudiencePreset): CaseView {
  const summary = toCaseSummary(issue, browseUrl);
  const state = parseBatonState(issue.properties?.[BATON_STATE_PROPERTY]);
  const stored = state?.packet;
  const packet =
    stored === undefined
      ? localPacket(issue, browseUrl)
      : {
          summary: stored.summary,
          decisions: stored.decisions,
          openQuestions: stored.openQuestions,
          links: stored.links,
          nextOwner: stored.nextOwner ?? null,
          definitionOfReady: stored.definitionOfReady,
          source: 'jira-app' as const,
        };
  const sla = slaOf(state);
  return { case: summary, packet, sla, drafts: [draftFor(audience, summary, packet, sla, preset)] };
}
