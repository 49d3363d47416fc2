import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kpisJsonSchema } from '../src/analysis/index.ts';

describe('docs/kpis.schema.json', () => {
  it('matches the zod schema (regenerate with `pnpm run schema:kpis`)', () => {
    const committed = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'kpis.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(kpisJsonSchema());
  });

  it('requires the headline figures', () => {
    const schema = kpisJsonSchema() as { required: string[] };
    expect(schema.required).toEqual(
      expect.arrayContaining([
        'cases',
        'events',
        'skipped',
        'cycleTimeDays',
        'handoffs',
        'pingPongBounces',
        'pingPongCases',
        'states',
      ]),
    );
  });
});
