import { vi } from 'vitest';
import type { Charter } from '@baton/core';
import { CharterSchema } from '../src/domain/charter-migration/jira-app-v1.ts';
import type { CharterInput } from '../src/domain/charter-migration/jira-app-v1.ts';
import { charterFromApp } from '../src/domain/charter-migration/migrate.ts';
import { createBatonStorage } from '../src/platform/baton-storage.ts';

/** Monday 23 November 2026, 12:00 UTC: the support-desk seed's "now" (inside business hours). */
export const NOW = Date.UTC(2026, 10, 23, 12, 0);

/** Only `Date` is faked: the sim's sockets and the client's timers stay real. */
export function freezeTime(at = NOW): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

/** A charter written in the app's old dialect (the tests' shorthand), as core's charter: migrated as a stored one is. */
export const appCharter = (input: CharterInput): Charter => charterFromApp(CharterSchema.parse(input));

/** Stores a charter as the admin page does: core's (written here in the old dialect, migrated). */
export async function saveCharter(input: CharterInput, scope = 'global'): Promise<void> {
  const storage = createBatonStorage();
  const current = await storage.getCharter(scope);
  const r = await storage.saveCharter(
    scope,
    { charter: appCharter(input), yaml: '', updatedAt: Date.now(), updatedBy: 'test' },
    current?.version ?? 0,
  );
  if (r === 'conflict') throw new Error('conflict');
}

export function invokeResolver(
  handler: (payload: unknown, backend?: unknown) => Promise<unknown>,
  name: string,
  payload: unknown,
  accountId: string | undefined,
) {
  return handler(
    { call: { functionKey: name, payload }, context: { extension: {} } },
    accountId === undefined ? {} : { principal: { accountId } },
  ) as Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>;
}
