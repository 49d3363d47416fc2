import { effectOf } from '@baton/jira';
import { traitsOf } from '@baton/core';
import type { Action, Decision, Proposal } from '@baton/core';
import { CLASSIFY_FIELDS } from '../contracts/charter.ts';
import type { ClassifyField } from '../contracts/charter.ts';

/** The clerk's rule for a handoff packet sent to a new owner (`app/handoff.ts`). */
export const HANDOFF_RULE = 'clerk.handoff';

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

const isWritable = (f: string): f is ClassifyField => (CLASSIFY_FIELDS as readonly string[]).includes(f);

/**
 * An action as Jira takes it, or null when the app does not carry it out: a due instant becomes the
 * team's Jira date; a field write must be of a field the app writes, with a value; a kind with no
 * Jira effect (a transition) is left out.
 */
function actionForJira(a: Action, timeZone: string | undefined): Action | null {
  if (effectOf(a) === null) return null;
  if (a.kind !== 'setField') return a;
  if (a.field === 'duedate') {
    const date = dueDateOf(a.value, timeZone);
    return date === null ? null : { ...a, value: date };
  }
  return isWritable(a.field) && typeof a.value === 'string' && a.value.trim() !== '' ? a : null;
}

/**
 * Core's proposal as the app can carry it out in Jira (still core's `Proposal`): each action in Jira's
 * terms, or null when one of them is not carried out, so that a proposal is never half done.
 */
export function proposalForJira(p: Proposal, opts: { timeZone?: string } = {}): Proposal | null {
  const actions: Action[] = [];
  for (const a of p.actions) {
    const inJira = actionForJira(a, opts.timeZone);
    if (inJira === null) return null;
    actions.push(inJira);
  }
  return { ...p, actions };
}

/**
 * An escalation ladder's raise-priority: carried out only if it raises the priority (checked
 * against Jira when it runs), never lowering one a person set. The watchdog writes priority only there.
 */
export const raisesOnly = (d: Pick<Proposal, 'pattern'>, a: Action): boolean =>
  d.pattern === 'watchdog' && a.kind === 'setField' && a.field === 'priority';

/** How each field the app writes reads in the panel and the audit. */
const FIELD_SUMMARY: Readonly<Record<ClassifyField | 'duedate', (value: string) => string>> = {
  duedate: (v) => `Set due date to ${v}`,
  priority: (v) => `Set priority to ${v}`,
  labels: (v) => `Add label ${v}`,
  components: (v) => `Add component ${v}`,
};

/** What one action does, in words, by its kind. */
const ACTION_SUMMARY: {
  [K in Action['kind']]: (a: Extract<Action, { kind: K }>, d: Pick<Proposal, 'pattern'>) => string;
} = {
  assign: (a) => `Assign to ${a.to}`,
  setField: (a, d) =>
    raisesOnly(d, a)
      ? `Raise priority to ${String(a.value)}`
      : (FIELD_SUMMARY[a.field as ClassifyField | 'duedate']?.(String(a.value)) ??
        `Set ${a.field} to ${String(a.value)}`),
  addLabel: (a) => `Add label ${a.label}`,
  transition: (a) => `Move to ${a.to}`,
  notify: (a) => a.message,
  requestInfo: (a) => a.message,
  escalate: (a) => a.message,
  comment: (a) => a.body,
};

/** What a rule's decision does, in words, where the actions alone would say too much (a whole packet). */
const RULE_SUMMARY: Readonly<Record<string, (d: Proposal) => string>> = {
  [HANDOFF_RULE]: (d) => {
    const a = d.actions[0];
    const to = a === undefined ? null : personOf(a);
    return `Send ${to ?? 'the new owner'} the handoff packet${a?.kind === 'notify' && a.via === 'email' ? ' by email' : ''}`;
  },
};

/** What carrying out a decision does, in words: its rule's summary, else each action's, in order. */
export function summaryOf(d: Proposal | Decision): string {
  const byRule = RULE_SUMMARY[d.rule];
  if (byRule !== undefined) return byRule(d);
  return d.actions.map((a) => (ACTION_SUMMARY[a.kind] as (a: Action, d: Proposal) => string)(a, d)).join('; ');
}

/** The words a comment action posts (a question lists what it asks for). */
const COMMENT_TEXT: { [K in Action['kind']]?: (a: Extract<Action, { kind: K }>) => string } = {
  notify: (a) => a.message,
  escalate: (a) => a.message,
  requestInfo: (a) => `${a.message} (${a.items.join(', ')})`,
  comment: (a) => a.body,
};

/** The words of an action that is a comment in Jira, as it is posted (or sent in chat). */
export const commentText = (a: Action): string =>
  (COMMENT_TEXT[a.kind] as ((a: Action) => string) | undefined)?.(a) ?? traitsOf(a).summary;

/** The person an action names (an account id): whom it assigns, nudges, asks or escalates to, or the person a comment is written to. */
export const personOf = (a: Action): string | null => (a.kind === 'comment' ? (a.to ?? null) : traitsOf(a).recipient);

/** The decision's action kinds, for the audit's and the history's `kind` column (`assign`, `notify + setField`). */
export const kindsOf = (d: Pick<Proposal, 'actions'>): string => [...new Set(d.actions.map((a) => a.kind))].join(' + ');
