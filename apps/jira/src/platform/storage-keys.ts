import type * as z from 'zod';

/**
 * A KVS key from a prefix and a raw part (an issue key, a decision key, a scope). Forge accepts keys
 * matching /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/ of at most 500 characters
 * (https://developer.atlassian.com/platform/forge/storage-reference/handling-errors-kvs): anything else in
 * the raw part becomes `_`, and since that can make two raw parts meet, a changed or long raw part also
 * carries a hash of the original after `#`. Keys are kept under 100 characters.
 */
export function safeKey(prefix: string, raw: string): string {
  const clean = raw.replace(/[^a-zA-Z0-9:._-]/g, '_');
  if (clean === raw && prefix.length + clean.length <= 100) return `${prefix}${clean}`;
  let h = 2166136261;
  for (let i = 0; i < raw.length; i++) h = Math.imul(h ^ raw.charCodeAt(i), 16777619);
  return `${prefix}${clean.slice(0, 60)}#${(h >>> 0).toString(36)}`;
}

/** Forge's page limit for a custom-entity query: 1–100 items, more through the cursor (storage-api-query-complex). */
export const QUERY_PAGE = 100;

/** A sequence or a time as 8 digits, so that keys sort as numbers. */
export const pad = (n: number): string => String(n).padStart(8, '0');

/** A stored value read through its schema; `undefined` (no such key) stays undefined. */
export const parseStored = <T>(schema: z.ZodType<T>, v: unknown): T | undefined =>
  v === undefined ? undefined : schema.parse(v);
