import type { ChatDelivery, ChatMessage, ChatSurface, DeliveryIssue, Result } from '@baton/core';
import type { ChatLink, ChatSecrets, ChatSettings, ChatStatus } from '../contracts/chat-settings.ts';

/**
 * A connected chat workspace as the app uses it (the Slack edition builds one; the default app has none):
 * core's surface, the admin's chat settings, and what the app keeps about delivered messages so that an
 * answer arriving later can be planned against the message it answers. No secret passes through here.
 */
export interface AppChat {
  readonly surface: ChatSurface;
  readonly settings: ChatSettings;
  /** Whether the Jira account has a linked chat user (else Baton stays in Jira for them). */
  isLinked(accountId: string): Promise<boolean>;
  remember(message: ChatMessage, delivery: ChatDelivery): Promise<void>;
  recall(messageId: string): Promise<{ message: ChatMessage; delivery: ChatDelivery } | undefined>;
  /** After an approval was refused: the next click on the message counts again (the adapter had settled it). */
  reopen(messageId: string): Promise<void>;
  /** Takes `key` for `ttlMs` when nobody holds it; true when this caller took it. */
  hold(key: string, ttlMs: number): Promise<boolean>;
  /** Lets go of a held key (the work it guarded did not happen, and a retry should do it). */
  release(key: string): Promise<void>;
  /** A plain line to a chat user in their direct conversation with Baton (no Jira account needed). */
  say(userId: string, text: string): Promise<Result<ChatDelivery, DeliveryIssue>>;
}

/** The edition's chat, or undefined when the build has none or no workspace is connected. */
export type ChatConnector = () => Promise<AppChat | undefined>;

/** The admin page's side of a chat edition: status without secrets, settings, write-only credentials. */
export interface ChatAdmin {
  status(): Promise<ChatStatus>;
  saveSettings(settings: ChatSettings): Promise<void>;
  setSecrets(secrets: ChatSecrets): Promise<void>;
  /** Links a Jira account to the chat user with the same email; the reason when there is none (or no email). */
  linkByEmail(accountId: string, email: string | null): Promise<{ linked: true } | { linked: false; why: string }>;
  /**
   * The person's own link as the issue panel shows it; with `issueCode`, a fresh one-time code for them to send
   * the bot when they are not linked yet (none before a bot token is stored: nobody could receive it).
   */
  linkOf(accountId: string, issueCode: boolean): Promise<ChatLink>;
}
