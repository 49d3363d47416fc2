import { kvs, WhereConditions } from '@forge/kvs';
import * as z from 'zod';
import { CLOSED_ACCOUNT } from '../ports/personal-data-store.ts';
import type { PersonalDataStore } from '../ports/personal-data-store.ts';
import { RETENTION } from '../ports/record-store.ts';
import { eraseAccountsEverywhere } from './erase-account.ts';
import type { Pseudonyms } from './pseudonyms.ts';
import { QUERY_PAGE, safeKey } from './storage-keys.ts';

const ACCOUNT_PREFIX = 'account:';
/** The name cache of `src/app/people.ts` (`putJson('person:<id>')`). */
const PERSON_PREFIX = 'json:person:';
const StoredAccountSchema = z.object({ accountId: z.string(), updatedAt: z.number() });
const PersonSchema = z.object({ name: z.string(), at: z.number() });

/** Lists an account id the app keeps (`account:<id>`), once, for the weekly personal-data report. */
export async function listAccount(accountId: string, at: number): Promise<void> {
  await kvs.set(safeKey(ACCOUNT_PREFIX, accountId), { accountId, updatedAt: at });
}

/** The accounts app storage holds (`account:` and the name cache), and their erasure (`erase-account.ts`). */
export function createKvsPersonalDataStore(deps: { pseudonyms: Pseudonyms }): PersonalDataStore {
  return {
    async listStoredAccounts(cursor) {
      // The accounts the audit names, then the people whose names are cached (`json:person:`).
      const [prefix, inner] = cursor?.startsWith('P|')
        ? [PERSON_PREFIX, cursor.slice(2)]
        : [ACCOUNT_PREFIX, cursor?.replace(/^A\|/, '')];
      let q = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(QUERY_PAGE);
      if (inner !== undefined && inner !== '') q = q.cursor(inner);
      const page = await q.getMany();
      const accounts = page.results.flatMap((r) => {
        const v = StoredAccountSchema.safeParse(r.value);
        if (v.success) return [{ accountId: v.data.accountId, updatedAt: v.data.updatedAt }];
        const person = PersonSchema.safeParse(r.value);
        return person.success ? [{ accountId: r.key.slice(PERSON_PREFIX.length), updatedAt: person.data.at }] : [];
      });
      const tag = prefix === ACCOUNT_PREFIX ? 'A|' : 'P|';
      if (page.nextCursor !== undefined) return { accounts, nextCursor: `${tag}${page.nextCursor}` };
      return prefix === ACCOUNT_PREFIX ? { accounts, nextCursor: 'P|' } : { accounts };
    },
    async forgetPerson(accountId) {
      if ((await kvs.get(safeKey(PERSON_PREFIX, accountId))) !== undefined)
        await kvs.delete(safeKey(PERSON_PREFIX, accountId));
    },
    async eraseAccounts(accountIds, stillHasTime) {
      return eraseAccountsEverywhere(accountIds, {
        pseudonyms: deps.pseudonyms,
        closed: CLOSED_ACCOUNT,
        ttlOf: (key) =>
          key.startsWith('effect:')
            ? RETENTION.effect
            : key.startsWith('suggestion:')
              ? RETENTION.suggestion
              : undefined,
        stillHasTime,
        now: Date.now(),
      });
    },
  };
}
