// Writes docs/kpis.schema.json from the zod schema in @baton/core (the source of truth).
// Run after changing packages/core/src/analysis/kpis.ts: `pnpm run schema:kpis`.
// packages/core/test/kpis-schema.test.ts fails while the committed file is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kpisJsonSchema } from '../packages/core/src/analysis/index.ts';

const path = join(import.meta.dirname, '..', 'docs', 'kpis.schema.json');
writeFileSync(path, `${JSON.stringify(kpisJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path}`);
