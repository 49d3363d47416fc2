// The default edition: no egress, no third-party model client in the bundle. The OpenAI edition's
// build (scripts/edition.ts) replaces this file with a re-export of ./editions/openai.ts.
import type { ModelEdition } from './ports/models.ts';

export const edition: ModelEdition = { name: 'default', providers: ['none', 'forge-llm'], egress: [] };
