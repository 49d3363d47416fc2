import type { WebClient } from '@slack/web-api';
import {
  LINK_ATTEMPTS_PER_HOUR,
  LINK_CODE_BYTES,
  LINK_CODE_TTL_MS,
  fail,
  findLinkCode,
  linkCodeFrom,
  ok,
  type Issue,
  type Result,
} from '@baton/core';
import type { KeyValuePort, LinkStore } from './ports.ts';
import { callSlack, type BackoffOptions } from './slack-call.ts';

/**
 * Linking a Slack user to a Jira account. By email where the Jira site lets the app read the account's
 * email and Slack finds a person with it (`users.lookupByEmail`, scope `users:read.email`); otherwise by a
 * one-time code the person sees in Jira's panel and sends to the bot in a DM.
 */
export type LinkIssueCode = 'link.needsCode' | 'link.codeUnknown' | 'link.tooManyAttempts' | 'link.noCode';
export interface LinkIssue extends Issue {
  readonly code: LinkIssueCode;
}

export interface AccountLinkerOptions extends BackoffOptions {
  /** Needed only to link by email; code linking reads and writes the store alone. */
  readonly web?: WebClient;
  readonly links: LinkStore;
  readonly store: KeyValuePort;
  readonly now: () => number;
  /** Cryptographic random bytes (node:crypto's `randomBytes`; Forge has Web Crypto's `getRandomValues`). */
  readonly randomBytes: (n: number) => Uint8Array;
}

export interface AccountLinker {
  /** Links by email; `link.needsCode` when the email is hidden or matches no Slack user. */
  byEmail(accountId: string, email: string | null): Promise<Result<{ slackUserId: string }, LinkIssue>>;
  /** A fresh one-time code for the account, valid `LINK_CODE_TTL_MS`. */
  issueCode(accountId: string): Promise<{ code: string; expiresAt: number }>;
  /** Reads a code in a DM and links its sender; a code works once. */
  redeem(slackUserId: string, text: string): Promise<Result<{ accountId: string }, LinkIssue>>;
}

const HOUR = 3_600_000;

export function createAccountLinker(options: AccountLinkerOptions): AccountLinker {
  const { web, links, store, now } = options;
  const needsCode = (message: string): Result<never, LinkIssue> =>
    fail({ code: 'link.needsCode', path: ['email'], message });
  return {
    async byEmail(accountId, email) {
      if (email === null) return needsCode('the Jira site does not share this account’s email with the app');
      if (web === undefined) return needsCode('no Slack client to look the email up with');
      const found = await callSlack('users.lookupByEmail', () => web.users.lookupByEmail({ email }), options);
      const user = found.ok ? found.value.user : undefined;
      if (user?.id === undefined || user.deleted === true || user.is_bot === true)
        return needsCode(found.ok ? `no Slack user with ${email}` : found.issue.message);
      await links.link(user.id, accountId);
      return ok({ slackUserId: user.id });
    },

    async issueCode(accountId) {
      const code = linkCodeFrom(options.randomBytes(LINK_CODE_BYTES));
      const expiresAt = now() + LINK_CODE_TTL_MS;
      await store.set(`linkcode:${code}`, accountId, LINK_CODE_TTL_MS);
      return { code, expiresAt };
    },

    async redeem(slackUserId, text) {
      const window = Math.floor(now() / HOUR);
      const attemptsKey = `linkattempts:${slackUserId}:${window}`;
      const attempts = Number((await store.get(attemptsKey)) ?? '0');
      if (attempts >= LINK_ATTEMPTS_PER_HOUR)
        return fail({ code: 'link.tooManyAttempts', path: ['text'], message: 'too many link attempts this hour' });
      const code = findLinkCode(text);
      if (code === null) return fail({ code: 'link.noCode', path: ['text'], message: 'no link code in the message' });
      await store.set(attemptsKey, String(attempts + 1), HOUR);
      const accountId = await store.get(`linkcode:${code}`);
      if (accountId === undefined)
        return fail({ code: 'link.codeUnknown', path: ['text'], message: 'the code is unknown, used or expired' });
      await store.delete(`linkcode:${code}`);
      await links.link(slackUserId, accountId);
      return ok({ accountId });
    },
  };
}
