// Public surface of @baton/slack: core's chat port over Slack.
export type { SlackSurfaceOptions } from './slack-surface.ts';
export { createSlackSurface } from './slack-surface.ts';
export type { SlackInboundOptions } from './slack-inbound.ts';
export { createSlackInbound, reopenAnswers } from './slack-inbound.ts';
export { createSlackWebClient } from './web-client.ts';
export type { VerifyIssueCode, VerifyIssue, VerifiedRequest } from './verify-request.ts';
export { verifySlackRequest, MAX_REQUEST_AGE_S } from './verify-request.ts';
export type { BackoffOptions, CallOutcome } from './slack-call.ts';
export { callSlack } from './slack-call.ts';
export { ANSWER_ACTIONS, INPUT_ACTIONS, blocksFor, fallbackText, settledBlocks } from './blocks.ts';
export { escapeMrkdwn, mrkdwnLink } from './mrkdwn.ts';
export type { KeyValuePort, LinkStore } from './ports.ts';
export { createMemoryKeyValue, createKeyValueLinkStore } from './ports.ts';
export type { LinkIssueCode, LinkIssue, AccountLinkerOptions, AccountLinker } from './link-account.ts';
export { createAccountLinker } from './link-account.ts';
