import type { Issue, Result } from '../result.ts';
import type { ChatActor, ChatAnswer } from './chat-answer.ts';
import type { ChatMessage } from './chat-message.ts';

/**
 * The port a chat adapter implements (Slack first; a Teams adapter over Bot Framework is another
 * implementation of the same two halves). Core never calls it: the app does, with core's messages.
 */

/** Where a delivered message landed, in the surface's terms (Slack: channel and `ts`). */
export interface ChatDelivery {
  readonly messageId: string;
  readonly surface: string;
  /** The surface's reference to the posted message, for updating it after an answer. */
  readonly ref: string;
  /** True when this id had been delivered before and nothing new was posted. */
  readonly repeated: boolean;
}

/**
 * Why a message was not delivered. `chat.unlinked`: the recipient's account has no surface user (ask
 * them to link); `chat.unreachable`: the surface refused the target (no such channel, app not in it);
 * `chat.retryLater`: rate-limited past the adapter's patience, try again after `retryAfterMs` (the Forge
 * queue's `InvocationError`); `chat.rejected`: the surface refused the message or the credentials.
 */
export type DeliveryIssueCode = 'chat.unlinked' | 'chat.unreachable' | 'chat.retryLater' | 'chat.rejected';
export interface DeliveryIssue extends Issue {
  readonly code: DeliveryIssueCode;
  readonly retryAfterMs?: number;
}

/** The outbound half: say something to a person or a channel, at most once per message id. */
export interface ChatSurface {
  readonly surface: string;
  deliver(message: ChatMessage): Promise<Result<ChatDelivery, DeliveryIssue>>;
  /** Replaces a delivered message with a settled line (the buttons give way to what was decided). */
  settle(delivery: ChatDelivery, text: string): Promise<Result<ChatDelivery, DeliveryIssue>>;
  /**
   * A line beside a delivered message that only the surface user `userId` sees (Slack: an ephemeral
   * message): why their answer was refused, what to do next. Nothing is kept in the conversation.
   */
  tell(delivery: ChatDelivery, userId: string, text: string): Promise<Result<ChatDelivery, DeliveryIssue>>;
}

/** A request the surface sent to the app, exactly as received (the raw body is what signatures cover). */
export interface ChatInboundRequest {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** What the app sends back to the surface (quickly: Slack waits 3 seconds). */
export interface ChatInboundReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What an inbound request came to: `answer` (a verified, first-seen answer for the app to plan and carry
 * out after replying), `repeat` (a retry or redelivery of one already taken: reply, do nothing), `other`
 * (verified but not an answer: a URL check, an event Baton ignores), `said` (a direct message) or `refused` (forged, stale, replayed
 * or malformed: nothing happens).
 */
export type ChatInboundOutcome =
  | { readonly kind: 'answer'; readonly answer: ChatAnswer; readonly reply: ChatInboundReply }
  | { readonly kind: 'repeat'; readonly reply: ChatInboundReply }
  | { readonly kind: 'other'; readonly reply: ChatInboundReply }
  /** A person wrote to Baton directly (a DM): the app reads it as a link code or lets it be. */
  | { readonly kind: 'said'; readonly by: ChatActor; readonly text: string; readonly reply: ChatInboundReply }
  | { readonly kind: 'refused'; readonly issue: Issue; readonly reply: ChatInboundReply };

/** The inbound half: verify and read a request from the surface. */
export interface ChatInbound {
  receive(request: ChatInboundRequest): Promise<ChatInboundOutcome>;
}
