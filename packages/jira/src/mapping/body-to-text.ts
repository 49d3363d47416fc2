import { adfToText } from './adf-to-text.ts';
import { wikiToText } from './wiki-to-text.ts';

/** Plain text of a description or comment body: v3 ADF document or v2 wiki text. */
export function bodyToText(body: unknown): string {
  if (typeof body === 'string') return wikiToText(body);
  if (typeof body === 'object' && body !== null) return adfToText(body);
  return '';
}
