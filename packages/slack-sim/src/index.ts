// Public surface of @baton/slack-sim (test-only: never imported by production code).
export type { SlackSim, SlackSimOptions, SlackSimCall, RateLimitFault } from './start-slack-sim.ts';
export { startSlackSim } from './start-slack-sim.ts';
export type { SimWorkspace, SimWorkspaceInput, SimSlackUser, SimChannel, SimMessage } from './workspace.ts';
export { SimWorkspaceSchema, sampleWorkspace } from './workspace.ts';
export type { MethodResult } from './methods.ts';
export { SlackSimStore, METHODS, METHOD_SCOPES, MAX_TEXT } from './methods.ts';
export type { Tier } from './tiers.ts';
export { METHOD_TIERS, TIER_PER_MINUTE, POST_MESSAGE_WORKSPACE_PER_MINUTE, RateLimiter } from './tiers.ts';
export type { SimBlock } from './block-kit.ts';
export { BlockSchema, MessageBlocksSchema, blockErrors, interactiveElements } from './block-kit.ts';
export type { SignedSlackRequest, SignOptions } from './sign.ts';
export { slackSignature, signRequest } from './sign.ts';
export type { InteractSpec, ViewSubmitSpec } from './interactions.ts';
export {
  SimInteractionError,
  blockActionsPayload,
  viewSubmissionPayload,
  eventCallback,
  formPayload,
} from './interactions.ts';
export type { Delivery, DeliveryAttempt, DeliverOptions, RetryReason } from './deliver.ts';
export { EVENT_RETRY_DELAYS_MS, SLACK_ACK_MS, deliverToApp } from './deliver.ts';
