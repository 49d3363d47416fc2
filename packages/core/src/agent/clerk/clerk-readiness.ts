import * as z from 'zod';
import type { CaseRecord } from '../../model/case.ts';
import { describeRequirement, type ReadinessRequirement } from '../../model/readiness.ts';
import { extractLinks, withoutQuotedText } from './clerk-extract.ts';

export const ReadinessItemSchema = z.object({
  requirement: z.string(),
  status: z.enum(['present', 'missing']),
  /** Where it was found (`comment-3`, `field:customfield_10010`), or what to ask for. */
  detail: z.string(),
});
export type ReadinessItem = z.infer<typeof ReadinessItemSchema>;

export const ReadinessSchema = z.object({
  /** The state the checklist guards the exit of. */
  state: z.string().nullable(),
  ready: z.boolean(),
  items: z.array(ReadinessItemSchema),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

const APPROVES = /\b(approved|approve it|lgtm|looks good to me|sign(?:ed)?[- ]off|go ahead)\b/i;
const NEGATED = /\b(not|n't|never|no)\b[^.]{0,20}\b(approved|approve|sign)/i;

function nonEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/**
 * Checks each requirement against the case as it stood at `at` (events after it are ignored).
 * @example checkReadiness(record, 'Waiting for customer', [{ kind: 'field', field: 'customfield_10010' }], now)
 */
export function checkReadiness(
  record: CaseRecord,
  state: string | null,
  requirements: readonly ReadinessRequirement[],
  at: number,
  owner: string | null = null,
): Readiness {
  const fieldValues = new Map<string, string | null>();
  const texts: { id: string; author: string | null; text: string }[] = [];
  if (record.description !== undefined) texts.push({ id: 'description', author: null, text: record.description });
  let comment = 0;
  for (const e of record.events) {
    if (e.at > at) break;
    if (e.kind === 'field' && e.field !== undefined) fieldValues.set(e.field, e.to ?? null);
    if (e.kind === 'comment' && e.text !== undefined)
      texts.push({ id: `comment-${++comment}`, author: e.actor ?? null, text: e.text });
  }
  const findLink = (kind: 'attachment' | 'link'): string | undefined => {
    for (const t of texts) {
      const links = extractLinks(t.text, record.id);
      if (links.some((l) => (kind === 'attachment' ? l.kind === 'attachment' : l.kind !== 'attachment'))) return t.id;
    }
    return undefined;
  };
  const items = requirements.map((r): ReadinessItem => {
    const requirement = describeRequirement(r);
    let found: string | undefined;
    switch (r.kind) {
      case 'field':
        if (fieldValues.has(r.field)) found = nonEmpty(fieldValues.get(r.field)) ? `field:${r.field}` : undefined;
        else if (nonEmpty(record.attributes[r.field])) found = `field:${r.field}`;
        break;
      case 'link':
        found = nonEmpty(record.attributes['issuelinks']) ? 'field:issuelinks' : findLink('link');
        break;
      case 'attachment':
        found = nonEmpty(record.attributes['attachment']) ? 'field:attachment' : findLink('attachment');
        break;
      case 'approval':
        if (nonEmpty(fieldValues.get('approval'))) found = 'field:approval';
        else
          found = texts.find((t) => {
            if (t.author === null || t.author === owner) return false;
            if (r.by !== undefined && t.author !== r.by) return false;
            const body = withoutQuotedText(t.text);
            return APPROVES.test(body) && !NEGATED.test(body);
          })?.id;
        break;
    }
    return found === undefined
      ? { requirement, status: 'missing', detail: `ask for ${requirement}` }
      : { requirement, status: 'present', detail: found };
  });
  return { state, ready: items.every((i) => i.status === 'present'), items };
}
