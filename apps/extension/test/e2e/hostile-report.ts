import { expect } from 'vitest';
import * as z from 'zod';

/** What `window.__attack()` of `pages/hostile-page.js` returns: everything the page's JavaScript got. */
export const HostileReportSchema = z.object({
  hostFound: z.boolean(),
  /** `host.shadowRoot` as the page sees it. */
  shadowRootVisible: z.boolean().nullable(),
  /** What `elementFromPoint` gave where the overlay draws (the host, retargeted, when it is closed). */
  pointsOnBaton: z.array(z.string()),
  dispatched: z.number(),
  forgedTrusted: z.boolean(),
  forgeError: z.string().optional(),
  rootsCaptured: z.number(),
  /** Every text the page read: the DOM, the selection, mutation records, event targets, captured roots. */
  seen: z.array(z.string()),
  /** Nodes inside Baton's shadow root that appeared in an event's composed path (must be none). */
  inside: z.array(z.string()),
  /** Events the page saw on Baton's host (the rep's own clicks, retargeted). */
  hostEvents: z.number(),
  /** Requests made through the page's own fetch / XMLHttpRequest / sendBeacon. */
  requests: z.array(z.string()),
});
export type HostileReport = z.infer<typeof HostileReportSchema>;

/**
 * Text only Baton's overlay shows on the SUP-2 Gmail thread: the packet the Jira app stored (not in
 * the email). If the page's JavaScript got any of it, the overlay leaked.
 */
export const SUP2_OVERLAY_ONLY = [
  'Reissue the invoice rather than issue a credit note',
  'Correct VAT rate confirmed by finance',
  'VAT rates table',
  'wiki.example/finance/vat',
  'Resolve within 2 business days',
];

/** The assertions both browsers share: the page got nothing of the overlay, and Baton did nothing for it. */
export function expectNothingReached(json: string, secrets: readonly string[]): HostileReport {
  const report = HostileReportSchema.parse(JSON.parse(json));
  expect(report.hostFound).toBe(true);
  expect(report.shadowRootVisible).toBe(false);
  // The page did aim at Baton: its synthetic events landed on the host.
  expect(report.pointsOnBaton).toContain('BATON-OVERLAY');
  expect(report.dispatched).toBeGreaterThan(10);
  expect(report.forgedTrusted).toBe(false);
  // The rep's real clicks reached the page only as clicks on the host.
  expect(report.hostEvents).toBeGreaterThan(0);
  expect(report.inside).toEqual([]);
  const everything = report.seen.join('\n');
  // The page read plenty (the email itself), and none of what the overlay shows.
  expect(everything).toContain('Any news? Month end is Friday.');
  for (const secret of secrets) expect(everything, `the page read "${secret}"`).not.toContain(secret);
  return report;
}
