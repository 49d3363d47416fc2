import { idempotencyKey } from '@baton/core';
import type { Action, Proposal } from '@baton/core';
import { CLASSIFY_FIELDS } from '../contracts/charter.ts';
import type { ClassifyField } from '../contracts/charter.ts';
import type { AppDecision } from './decision.ts';

/** The proposal part of a core decision: what the gate reads again with the app's caps state. */
export const proposalOf = (p: Proposal): Proposal => ({
  caseId: p.caseId,
  pattern: p.pattern,
  rule: p.rule,
  threshold: p.threshold,
  actions: p.actions,
  reason: p.reason,
  evidence: p.evidence,
  confidence: p.confidence,
  risk: p.risk,
  at: p.at,
  ...(p.source === undefined ? {} : { source: p.source }),
});

/** How a core proposal becomes an app decision: the calendar's zone turns instants into the team's dates. */
export interface ToAppOptions {
  /** The charter's default calendar's time zone (IANA): a due instant is written as the date it falls on there. */
  timeZone?: string;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The Jira date (`YYYY-MM-DD`) of core's due instant (an ISO timestamp) in a time zone, or null when
 * the value is not a timestamp. Jira's due date has no time, so the team's local day counts.
 */
export function dueDateOf(value: unknown, timeZone = 'UTC'): string | null {
  if (typeof value !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  return format.format(at);
}

/** How each field the app writes reads in the panel and the audit. */
const FIELD_SUMMARY: Readonly<Record<ClassifyField, (value: string) => string>> = {
  priority: (v) => `Set priority to ${v}`,
  labels: (v) => `Add label ${v}`,
  components: (v) => `Add component ${v}`,
};
const isWritable = (f: string): f is ClassifyField => (CLASSIFY_FIELDS as readonly string[]).includes(f);

/** The one Jira effect of an action, or null for actions the app does not perform (yet): other fields, transitions. */
function effectOf(a: Action, opts: ToAppOptions): Pick<AppDecision, 'kind' | 'proposal' | 'summary'> | null {
  switch (a.kind) {
    case 'setField': {
      if (a.field === 'duedate') {
        const duedate = dueDateOf(a.value, opts.timeZone);
        return duedate === null
          ? null
          : { kind: 'setDueDate', proposal: { duedate }, summary: `Set due date to ${duedate}` };
      }
      if (!isWritable(a.field) || typeof a.value !== 'string' || a.value.trim() === '') return null;
      return {
        kind: 'setField',
        proposal: { field: a.field, value: a.value },
        summary: FIELD_SUMMARY[a.field](a.value),
      };
    }
    case 'assign':
      return { kind: 'assign', proposal: { assignee: a.to }, summary: `Assign to ${a.to}` };
    case 'notify':
      return { kind: 'nudge', proposal: { to: a.to, text: a.message }, summary: a.message };
    case 'requestInfo':
      return {
        kind: 'nudge',
        proposal: { to: a.from, text: `${a.message} (${a.items.join(', ')})` },
        summary: a.message,
      };
    case 'escalate':
      return { kind: 'escalate', proposal: { to: a.to, text: a.message }, summary: a.message };
    case 'comment':
      return { kind: 'comment', proposal: { to: null, text: a.body }, summary: a.body };
    default:
      return null;
  }
}

/**
 * A core proposal (router, watchdog) as the app's decision. Only single-effect proposals the app can
 * carry out are kept: a proposal whose first action the app cannot perform is left out rather than
 * half done.
 */
export function toAppDecision(p: Proposal, opts: ToAppOptions = {}): AppDecision | null {
  const first = p.actions[0];
  let effect = first === undefined ? null : effectOf(first, opts);
  if (effect === null) return null;
  // An escalation ladder's raise-priority: carried out only if it raises (checked against Jira when it runs).
  if (effect.kind === 'setField' && effect.proposal.field === 'priority' && p.pattern === 'watchdog') {
    effect = {
      ...effect,
      proposal: { ...effect.proposal, raise: true },
      summary: `Raise priority to ${String(effect.proposal.value)}`,
    };
  }
  return {
    key: idempotencyKey(p),
    pattern: p.pattern,
    ...effect,
    issueKey: p.caseId,
    reason: p.reason,
    evidence: p.evidence.map((e) => `${e.label}: ${String(e.value)}`),
    confidence: p.confidence,
    risk: p.risk,
    core: proposalOf(p),
  };
}

/**
 * The core action an app decision carries out in Jira (the key of `JIRA_EFFECTS`): a due date is
 * `setField duedate` with the Jira date; a nudge or escalation without a person is a comment.
 */
export function actionOf(d: AppDecision): Action {
  const to = typeof d.proposal.to === 'string' ? d.proposal.to : null;
  const text = String(d.proposal.text ?? d.summary) || d.summary;
  // Core's own message action keeps who reads it (a customer comment, an email), with the text as it stands.
  const own = d.core?.actions.length === 1 ? d.core.actions[0] : undefined;
  if (own?.kind === 'comment' && d.kind === 'comment') return { ...own, body: text };
  if (own?.kind === 'notify' && own.via === 'email' && d.kind === 'nudge') return { ...own, message: text };
  return d.kind === 'assign'
    ? { kind: 'assign', to: String(d.proposal.assignee) }
    : d.kind === 'setDueDate'
      ? { kind: 'setField', field: 'duedate', value: String(d.proposal.duedate) }
      : d.kind === 'setField'
        ? { kind: 'setField', field: String(d.proposal.field), value: String(d.proposal.value) }
        : d.kind === 'escalate' && to !== null
          ? { kind: 'escalate', to, message: text }
          : d.kind === 'nudge' && to !== null
            ? { kind: 'notify', to, message: text }
            : { kind: 'comment', body: text, audience: 'internal' };
}

/** A decision rebuilt from a stored suggestion (no core proposal kept): the action it stands for. */
export function proposalFromApp(d: AppDecision, at: number): Proposal {
  return {
    caseId: d.issueKey,
    pattern: d.pattern,
    rule: `app.${d.kind}`,
    threshold: d.key,
    actions: [actionOf(d)],
    reason: d.reason,
    evidence: d.evidence.map((e) => ({ label: e, value: null, source: 'app' })),
    confidence: d.confidence,
    risk: d.risk,
    at,
  };
}
