import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EFFECT_KINDS, JIRA_EFFECTS } from '@baton/jira';
import { KVS_SCOPE, PERSONAL_DATA_SCOPE, SCOPE_OF_CLIENT_METHOD } from '../src/required-scopes.ts';
import { MANIFEST } from './forge-harness.ts';
import { editionManifest } from '../scripts/edition.ts';
import { OPENAI_EGRESS, onDeclaredHost } from '../src/contracts/model-settings.ts';

const SRC = join(import.meta.dirname, '..', 'src');
function* files(dir: string): Generator<string> {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n)) yield p;
  }
}
// The app's code, and the table of Jira effects in @baton/jira that it carries decisions out with.
const EFFECTS = join(import.meta.dirname, '..', '..', '..', 'packages', 'jira', 'src', 'effects', 'action-effects.ts');
const source = [...files(SRC), EFFECTS].map((f) => readFileSync(f, 'utf8')).join('\n');
const declared = (parse(readFileSync(MANIFEST, 'utf8')) as { permissions: { scopes: string[] } }).permissions.scopes;

// Calls on a JiraClient (`jira.x(`, `asUser.x(`, `deps.jira.x(`) and uses of @forge/kvs.
const methodsCalled = new Set([...source.matchAll(/\b(?:jira|asUser)\.(\w+)\(/g)].map((m) => m[1] as string));
const needed = new Set<string>();
for (const m of methodsCalled) {
  const scope = SCOPE_OF_CLIENT_METHOD[m as keyof typeof SCOPE_OF_CLIENT_METHOD];
  if (scope) needed.add(scope);
}
if (/from '@forge\/kvs'/.test(source)) needed.add(KVS_SCOPE);
if (/\bprivacy\.reportPersonalData\(/.test(source)) needed.add(PERSONAL_DATA_SCOPE);

describe('least privilege', () => {
  it('finds the Jira calls the code makes', () => {
    expect(methodsCalled).toContain('addComment');
    expect(methodsCalled).toContain('searchAll');
    expect(methodsCalled).toContain('bulkChangelogs'); // the rest of a changelog longer than the 100 embedded histories
    expect(methodsCalled).toContain('editIssue'); // the router's due date (PUT /issue/{key}, write:jira-work)
    expect(methodsCalled).toContain('editMeta'); // the charter page's field-write check (GET /issue/{key}/editmeta, read:jira-work)
  });

  it('every call the code makes is covered by a declared scope', () => {
    for (const m of methodsCalled) {
      if (!(m in SCOPE_OF_CLIENT_METHOD)) continue; // not a client method (e.g. a helper on another object)
      expect(declared, `${m} needs ${SCOPE_OF_CLIENT_METHOD[m as keyof typeof SCOPE_OF_CLIENT_METHOD]}`).toContain(
        SCOPE_OF_CLIENT_METHOD[m as keyof typeof SCOPE_OF_CLIENT_METHOD],
      );
    }
  });

  it("every Jira effect's scope is declared, and is the scope of the client calls it makes", () => {
    for (const kind of EFFECT_KINDS) expect(declared, `${kind} needs its scope`).toContain(JIRA_EFFECTS[kind].scope);
    for (const m of ['assignIssue', 'editIssue', 'addComment'] as const)
      expect(SCOPE_OF_CLIENT_METHOD[m]).toBe(JIRA_EFFECTS.assign.scope);
  });

  it('every declared scope is needed by some call', () => {
    expect([...declared].sort()).toEqual([...needed].sort());
  });
});

describe('least egress', () => {
  type Egress = { permissions: { external?: { fetch?: { backend?: { address: string }[] } } } };
  it('the default manifest declares none', () => {
    expect((parse(readFileSync(MANIFEST, 'utf8')) as Egress).permissions.external).toBeUndefined();
  });

  it('the OpenAI edition declares exactly the hosts its code may reach, and the code reaches each', () => {
    const declared = ((parse(editionManifest('openai')) as Egress).permissions.external?.fetch?.backend ?? []).map(
      (e) => e.address,
    );
    expect(declared).toEqual([...OPENAI_EGRESS]);
    // Only the edition's module fetches a third party, and only after the declared-host check.
    const edition = readFileSync(join(SRC, 'editions', 'openai.ts'), 'utf8');
    expect(edition).toMatch(/onDeclaredHost\(settings\.baseURL\)/);
    expect([...source.matchAll(/import \{[^}]*\bfetch\b[^}]*\} from '@forge\/api'/g)]).toHaveLength(1);
    // Each declared host admits a base URL (test/openai-edition.test.tsx words drafts through both).
    for (const address of declared)
      expect(onDeclaredHost(`${address.replace('*', 'baton-test')}/v1`), address).toBe(true);
  });
});
