import * as z from 'zod';
import { strictObject } from '../strict-object.ts';

/**
 * The definition of ready: what must be present before a case may leave its state. The charter's
 * workflow map lists these per state; the clerk checks them against the case's history.
 * - `field`: the case attribute or a field change set it to something non-empty;
 * - `link`: the text links another issue or a URL (or the `issuelinks` attribute is non-empty);
 * - `attachment`: something is attached (`[^file]`, `!image.png!`, or the `attachment` attribute);
 * - `approval`: someone other than the owner approved in a comment, or an `approval` field was set.
 */
export const ReadinessRequirementSchema = z.discriminatedUnion('kind', [
  strictObject({ kind: z.literal('field'), field: z.string().min(1), label: z.string().optional() }),
  strictObject({ kind: z.literal('link'), label: z.string().optional() }),
  strictObject({ kind: z.literal('attachment'), label: z.string().optional() }),
  strictObject({ kind: z.literal('approval'), by: z.string().optional(), label: z.string().optional() }),
]);
export type ReadinessRequirement = z.infer<typeof ReadinessRequirementSchema>;

/** A person-readable name of a requirement, used as the checklist line. */
export function describeRequirement(r: ReadinessRequirement): string {
  if (r.label !== undefined) return r.label;
  switch (r.kind) {
    case 'field':
      return `field ${r.field}`;
    case 'link':
      return 'a linked issue or URL';
    case 'attachment':
      return 'an attachment';
    case 'approval':
      return r.by === undefined ? 'an approval' : `approval by ${r.by}`;
  }
}
