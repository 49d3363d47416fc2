import type { Charter, ReadinessRequirement } from '@baton/core';

/** Checklist lines for the fields agents know by name; other fields (custom ones) read `<id> set`. */
const LABELS: Readonly<Record<string, string>> = {
  assignee: 'owner assigned',
  reporter: 'reporter set',
  priority: 'priority set',
  duedate: 'due date set',
  description: 'description written',
  environment: 'environment described',
  components: 'component set',
  labels: 'labels set',
  fixVersions: 'fix version set',
  versions: 'affected version set',
};

/**
 * Core's definition of ready for a state's artifacts in the app's charter (`link`, `attachment` and
 * `approval[:<accountId>]` are core's own kinds; everything else is a field).
 * @example requirementsOf(['duedate', 'link']) // [{ kind: 'field', field: 'duedate', label: 'due date set' }, { kind: 'link' }]
 */
export function requirementsOf(artifacts: readonly string[]): ReadinessRequirement[] {
  return artifacts.map((a): ReadinessRequirement => {
    if (a === 'link') return { kind: 'link', label: 'a linked issue or URL' };
    if (a === 'attachment') return { kind: 'attachment', label: 'an attachment' };
    // Core reads an approval from the comments ("approved", "LGTM", "sign-off", "go ahead", not negated).
    if (a === 'approval') return { kind: 'approval', label: 'an approval (a comment by someone other than the owner)' };
    if (a.startsWith('approval:'))
      return { kind: 'approval', by: a.slice('approval:'.length), label: `approval by ${a.slice('approval:'.length)}` };
    return { kind: 'field', field: a, label: LABELS[a] ?? `${a} set` };
  });
}

/** A requirement as the workflow map's picker names it (the inverse of `requirementsOf`, labels aside). */
export function tokenOf(r: ReadinessRequirement): string {
  if (r.kind === 'field') return r.field;
  if (r.kind === 'approval') return r.by === undefined ? 'approval' : `approval:${r.by}`;
  return r.kind;
}

/** The Jira fields the charter's definitions of ready name, so that reading an issue asks for them. */
export function readyFieldsOf(charter: Charter): string[] {
  const fields = new Set<string>();
  for (const s of Object.values(charter.workflow.states)) {
    // Approvals are read from the comments, which every issue read asks for.
    for (const r of s.ready)
      if (r.kind !== 'approval') fields.add(r.kind === 'link' ? 'issuelinks' : r.kind === 'field' ? r.field : r.kind);
  }
  return [...fields].sort();
}
