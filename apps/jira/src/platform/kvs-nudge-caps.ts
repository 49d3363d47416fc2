import { kvs } from '@forge/kvs';
import type { NudgeCaps } from '../ports/nudge-caps.ts';
import { safeKey } from './storage-keys.ts';

/** Slots per issue and day: far above any charter's cap, a bound on the probe. */
const MAX_NUDGE_SLOTS = 50;
const nudgeSlot = (issueKey: string, day: string, n: number): string =>
  safeKey(`cap:${day}:`, `${issueKey}:${String(n).padStart(2, '0')}`);
/** Slots per person and day (the charter's `maxNudgesPerPersonPerDay` is unbounded): a bound on the probe. */
const MAX_PERSON_SLOTS = 100;
const personSlot = (accountId: string, day: string, n: number): string =>
  safeKey(`pcap:${day}:`, `${accountId}:${String(n).padStart(3, '0')}`);

/**
 * Takes the first free of `cap` slots (each a key claimed with FAIL_IF_EXISTS, kept two days), or
 * answers false when all are taken: concurrent claims cannot both take the last one.
 */
async function claimSlot(slot: (n: number) => string, cap: number): Promise<boolean> {
  for (let n = 0; n < cap; n++) {
    try {
      await kvs.set(slot(n), 1, { keyPolicy: 'FAIL_IF_EXISTS', ttl: { value: 2, unit: 'DAYS' } });
      return true;
    } catch (e) {
      if ((await kvs.get(slot(n))) === undefined) throw e;
    }
  }
  return false;
}

/** How many slots are taken, counted from the first (a freed slot ends the count early: a later claim fills it). */
async function takenSlots(slot: (n: number) => string, max: number): Promise<number> {
  let n = 0;
  while (n < max && (await kvs.get(slot(n))) !== undefined) n++;
  return n;
}

/** The daily nudge caps in KVS: one key per slot taken, `cap:<day>:<issue>:NN` and `pcap:<day>:<account>:NNN`. */
export function createKvsNudgeCaps(): NudgeCaps {
  return {
    async nudgesToday(issueKey, day) {
      return takenSlots((n) => nudgeSlot(issueKey, day, n), MAX_NUDGE_SLOTS);
    },
    async reserveNudge(issueKey, day, cap) {
      return claimSlot((n) => nudgeSlot(issueKey, day, n), Math.min(cap, MAX_NUDGE_SLOTS));
    },
    async personNudgesToday(accountId, day) {
      return takenSlots((n) => personSlot(accountId, day, n), MAX_PERSON_SLOTS);
    },
    async reservePersonNudge(accountId, day, cap) {
      return claimSlot((n) => personSlot(accountId, day, n), Math.min(cap, MAX_PERSON_SLOTS));
    },
    async releasePersonNudge(accountId, day) {
      // The last taken slot: freeing it keeps the taken ones contiguous for the count.
      const n = await takenSlots((i) => personSlot(accountId, day, i), MAX_PERSON_SLOTS);
      if (n > 0) await kvs.delete(personSlot(accountId, day, n - 1));
    },
  };
}
