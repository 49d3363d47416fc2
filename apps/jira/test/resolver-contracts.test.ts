import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CONTRACTS } from '../src/contracts/resolver-contracts.ts';
import type { ContractName } from '../src/contracts/resolver-contracts.ts';
import { uiResolver } from '../src/index.ts';
import { invokeResolver, saveCoreCharter, supCharter } from './fixtures.ts';
import { useForgeHarness } from './forge-harness.ts';
import { openaiEditionDir } from './openai-edition.ts';
import { RESOLVER_TABLE as TABLE } from './resolver-table.ts';
import type { ResolverRow as Row } from './resolver-table.ts';

// Run under the OpenAI edition, which answers every contract (the default edition refuses the key
// resolvers by field: test/model.test.tsx).
vi.mock('../src/edition.ts', () => import('../src/editions/openai.ts'));
// And with the Slack edition's chat, which answers the chat contracts (the default edition refuses saving them).
vi.mock('../src/chat-edition.ts', () => import('../src/editions/slack.ts'));
const EDITION_MANIFEST = join(openaiEditionDir(), 'manifest.yml');

// Every resolver, by its contract: a valid payload from a caller with the permission is answered,
// a bad one is rejected naming the field, and a caller without the permission is refused. The table
// must name every contract, so a resolver added without a row fails here.
useForgeHarness(
  async () => {
    await saveCoreCharter(supCharter());
  },
  { manifest: EDITION_MANIFEST },
);

describe('resolver contracts', () => {
  it('the table covers every contract', () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  for (const [name, row] of Object.entries(TABLE) as [ContractName, Row][]) {
    it(`${name} (${CONTRACTS[name].permission}): valid accepted, bad rejected at '${row.badPath}', outsider refused`, async () => {
      const ok = await invokeResolver(uiResolver as never, name, row.valid, row.insider);
      expect(ok, JSON.stringify(ok)).toMatchObject({ ok: true });
      // What came back is what the UI parses: the contract's output schema accepts it.
      expect(CONTRACTS[name].output.safeParse((ok as { data: unknown }).data).success).toBe(true);
      const bad = await invokeResolver(uiResolver as never, name, row.bad, row.insider);
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      const paths = ((bad as { error: { details?: { path: (string | number)[] }[] } }).error.details ?? []).map((i) =>
        i.path.join('.'),
      );
      expect(paths).toEqual([row.badPath]);
      expect(await invokeResolver(uiResolver as never, name, row.valid, row.outsider)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await invokeResolver(uiResolver as never, name, row.valid, undefined)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    });
  }
});
