import type { JiraIssue } from './jira-issue.ts';
import type { Audience, CaseSummary, CaseView, Packet, Sla } from '../messaging/protocol.ts';
import { coreCaseView } from './core-case-view.ts';
import type { AudiencePreset } from '../settings/settings.ts';
import { ISSUE_STATE_PROPERTY, readIssueState, slaDisplay, worstClock } from '@baton/jira/issue-state';
import type { IssueState } from '@baton/jira/issue-state';
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

/** The clock closest to trouble, as the app's panel words it; null when the app stored none. */
function slaOf(state: IssueState | undefined): Sla | null {
  const worst = state === undefined ? undefined : worstClock(state.sla);
  return worst === undefined ? null : slaDisplay(worst);
}

export interface CaseViewOptions {
  readonly site: string;
  readonly browseUrl: (key: string) => string;
  readonly audience: Audience;
  readonly preset: AudiencePreset;
  /** Epoch ms: the moment the packet describes. */
  readonly now: number;
}

/**
 * Everything the overlay shows for one case. The packet, in order of preference: the one the Jira app
 * stored in `baton.state` (core's HandoffPacket, or a plain packet), core's clerk run here on the issue
 * and its changelog, or (when the issue cannot be mapped) a plain packet derived from its fields.
 * The draft: core's concierge for the audience, or a template when nothing changed worth reporting.
 */
export function buildCaseView(issue: JiraIssue, o: CaseViewOptions): CaseView {
  const url = o.browseUrl(issue.key);
  const summary = toCaseSummary(issue, url);
  const rawState = issue.properties?.[ISSUE_STATE_PROPERTY];
  const state = readIssueState(rawState);
  const sla = slaOf(state);
  const storedRaw =
    typeof rawState === 'object' && rawState !== null ? (rawState as { packet?: unknown }).packet : undefined;
  const core = coreCaseView(issue, {
    site: o.site,
    now: o.now,
    audience: o.audience,
    sla,
    browseUrl: o.browseUrl,
    stored: storedRaw,
  });
  const plain = state?.packet;
  let packet: Packet;
  if (core !== null && core.packet.source === 'jira-app') packet = core.packet;
  else if (plain !== undefined) {
    packet = {
      summary: plain.summary,
      decisions: plain.decisions,
      openQuestions: plain.openQuestions,
      links: plain.links,
      nextOwner: plain.nextOwner ?? null,
      definitionOfReady: plain.definitionOfReady,
      source: 'jira-app',
    };
  } else if (core !== null) {
    const ready = state?.ready ?? localPacket(issue, url).definitionOfReady;
    packet = core.packet.definitionOfReady.length > 0 ? core.packet : { ...core.packet, definitionOfReady: ready };
  } else packet = localPacket(issue, url);
  // The rep's presets frame the concierge's text; the template drafts carry them already.
  const draft =
    core?.draft == null
      ? draftFor(o.audience, summary, packet, sla, o.preset)
      : {
          ...core.draft,
          text: [o.preset.greeting, core.draft.text, o.preset.signOff].filter((t) => t.trim() !== '').join('\n\n'),
        };
  return { case: summary, packet, sla, drafts: [draft] };
}
