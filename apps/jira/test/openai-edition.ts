import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEdition } from '../scripts/edition.ts';

/**
 * The OpenAI edition as `pnpm --filter jira edition:openai` writes it, in a temporary directory: its
 * manifest (backend egress to the declared hosts) is what the harness enforces for a test file that
 * runs the app with `src/edition.ts` swapped for `src/editions/openai.ts`, as the edition's build does:
 *
 *   vi.mock('../src/edition.ts', () => import('../src/editions/openai.ts'));
 */
export function openaiEditionDir(): string {
  return writeEdition('openai', mkdtempSync(join(tmpdir(), 'baton-openai-edition-')));
}
