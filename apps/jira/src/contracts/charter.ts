import { CharterSchema, parseCharter } from '@baton/core';
import type { ActionKind, Charter, Issue, Result } from '@baton/core';
import * as z from 'zod';

/**
 * The app stores and edits core's charter (`@baton/core`'s `CharterSchema`, parsed with `parseCharter`).
 * This file holds only what the app adds: the stored record, the vocabularies its forms offer, and
 * the few checks of what the app can carry out in Jira, reported at core's paths.
 */

/**
 * The autonomy dials the admin form shows: core's action kinds the app carries out in Jira
 * (`notify` and `requestInfo` are both a nudge: a comment that mentions the person).
 */
export const AUTONOMY_KINDS = [
  'assign',
  'notify',
  'requestInfo',
  'escalate',
  'comment',
  'setField',
] as const satisfies readonly ActionKind[];
/** How the admin form names each dial. */
export const KIND_LABELS: Readonly<Record<(typeof AUTONOMY_KINDS)[number], string>> = {
  assign: 'assign',
  notify: 'nudge (notify)',
  requestInfo: 'ask for missing information',
  escalate: 'escalate',
  comment: 'comment',
  setField: 'Set fields (due date, priority, labels, components)',
};

/**
 * Fields the router's classify rules may fill that the app can write: `priority` (a priority's name
 * or id), `labels` (one label, added) and `components` (a component's name, added).
 */
export const CLASSIFY_FIELDS = ['priority', 'labels', 'components'] as const;
export type ClassifyField = (typeof CLASSIFY_FIELDS)[number];

/**
 * Jira fields a state's definition of ready may name (ids as REST v3 spells them); besides these, any
 * custom field id (`customfield_10010`); `link`, `attachment` and `approval` are core's own kinds.
 */
export const READY_FIELDS = [
  'assignee',
  'reporter',
  'priority',
  'duedate',
  'description',
  'environment',
  'components',
  'labels',
  'fixVersions',
  'versions',
] as const;

/** Jira fields an SLA condition may name besides those a definition of ready may (`resolution`: "Resolution: set"). */
const CLOCK_ONLY_FIELDS = ['resolution'] as const;

/** A ladder step's message when none is written (core's template). */
export const DEFAULT_STEP_MESSAGE = '{case} "{title}": {state} for {idle}, owner {owner}';

const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * What core accepts but the app cannot carry out, as problems at core's paths: a classify rule for a
 * field the app does not write, a label with spaces or a rule without keywords, a project key Jira
 * would not have, and a ready field that is a near miss of a Jira field id (`dueDate` for `duedate`,
 * `customfield_x`); other field names are case attributes core reads as they are. Reads the document
 * as written (before or without core's defaults), so these are listed with core's own problems.
 */
export function appCharterIssues(doc: unknown): Issue[] {
  const issues: Issue[] = [];
  const at = (path: (string | number)[], message: string) => issues.push({ code: 'charter.jira', path, message });
  arr(obj(obj(doc)['scope'])['projects']).forEach((p, i) => {
    if (typeof p === 'string' && !PROJECT_KEY.test(p))
      at(['scope', 'projects', i], `expected a project key like SUP, got '${p}'`);
  });
  arr(obj(obj(doc)['routing'])['classify']).forEach((raw, i) => {
    const r = obj(raw);
    const field = r['field'];
    if (typeof field === 'string' && !(CLASSIFY_FIELDS as readonly string[]).includes(field))
      at(
        ['routing', 'classify', i, 'field'],
        `the Jira app writes ${CLASSIFY_FIELDS.join(', ')}; it cannot write '${field}'`,
      );
    else if (field === 'labels' && typeof r['label'] === 'string' && /\s/.test(r['label']))
      at(['routing', 'classify', i, 'label'], `a label cannot contain spaces: '${r['label']}'`);
    if (arr(r['keywords']).length === 0) at(['routing', 'classify', i, 'keywords'], 'expected at least one keyword');
  });
  // A step for a lead with nobody named goes to the owner's team's lead: with no lead anywhere, to nobody.
  const leads = arr(obj(obj(doc)['routing'])['teams']).some((t) => typeof obj(t)['lead'] === 'string');
  arr(obj(obj(doc)['escalation'])['ladders']).forEach((l, i) =>
    arr(obj(l)['steps']).forEach((raw, j) => {
      const st = obj(raw);
      if ((st['do'] === 'notify-lead' || st['do'] === 'reassign') && st['target'] === undefined && !leads)
        at(
          ['escalation', 'ladders', i, 'steps', j, 'target'],
          `${String(st['do'])} needs a person: set target, or give a team in routing.teams a lead`,
        );
      if (st['priority'] !== undefined && st['do'] !== 'raise-priority')
        at(
          ['escalation', 'ladders', i, 'steps', j, 'priority'],
          `priority applies to raise-priority steps only, not ${String(st['do'])}`,
        );
    }),
  );
  const known = new Map(READY_FIELDS.map((f) => [f.toLowerCase(), f]));
  for (const [state, s] of Object.entries(obj(obj(obj(doc)['workflow'])['states'])))
    arr(obj(s)['ready']).forEach((raw, i) => {
      const r = obj(raw);
      const problem = r['kind'] === 'field' ? fieldIdProblem(r['field'], known) : undefined;
      if (problem !== undefined) at(['workflow', 'states', state, 'ready', i, 'field'], problem);
    });
  // An SLA clock's field condition reads the changelog by field id: a near miss would never hold, and
  // the clock would run (or never start) without a word.
  const clockFields = new Map([...READY_FIELDS, ...CLOCK_ONLY_FIELDS].map((f) => [f.toLowerCase(), f]));
  arr(obj(doc)['slaGoals']).forEach((g, i) => {
    for (const part of ['start', 'pause', 'stop'] as const)
      arr(obj(g)[part]).forEach((raw, j) => {
        const c = obj(raw);
        if (c['on'] !== 'field') return;
        const problem =
          c['field'] === 'status'
            ? 'the status is not read as a field: write { on: status, in: [...] } (or on: phase)'
            : fieldIdProblem(c['field'], clockFields);
        if (problem !== undefined) at(['slaGoals', i, part, j, 'field'], problem);
      });
  });
  return issues;
}

/** What is wrong with a field id the app will look for in Jira, if anything: a near miss of a Jira id, or a bad custom field id. */
function fieldIdProblem(field: unknown, known: ReadonlyMap<string, string>): string | undefined {
  if (typeof field !== 'string') return undefined;
  const exact = known.get(field.toLowerCase());
  if (exact !== undefined && exact !== field) return `unknown field '${field}': Jira's id is '${exact}'`;
  if (field.startsWith('customfield_') && !/^customfield_\d+$/.test(field))
    return `unknown field '${field}': a custom field id is customfield_ and digits, like customfield_10010`;
  return undefined;
}

/**
 * A charter document (YAML already parsed, or the admin form's draft) as the app accepts it: core's
 * `parseCharter` (migrations, every problem by path), then what the app cannot carry out in Jira.
 */
export function parseAppCharter(doc: unknown): Result<Charter> {
  const r = parseCharter(doc);
  const app = appCharterIssues(doc);
  if (app.length === 0) return r;
  return { ok: false, issues: [...(r.ok ? [] : r.issues), ...app] };
}

/** A stored charter: every save is a new version of core's charter; the previous ones stay readable. */
export const CharterRecordSchema = z.object({
  version: z.number().int().min(1),
  charter: CharterSchema,
  /** The YAML as the admin wrote it (empty: none; the page shows the charter as YAML). */
  yaml: z.string(),
  updatedAt: z.number().int(),
  updatedBy: z.string(),
  /** Set when the record was stored in an older dialect and migrated on read; the next save writes core's. */
  migratedFrom: z.literal('jira-app-v1').optional(),
  /** Set when the app itself rewrote the record (a closed account erased, ADR 0021): what changed, for the admin. */
  notice: z.string().optional(),
});
export type CharterRecord = z.infer<typeof CharterRecordSchema>;
