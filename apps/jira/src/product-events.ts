/**
 * The Jira product events the app subscribes to: the one list. `manifest.yml` must name exactly
 * these (a test compares them), and `@forge/manifest`'s event-to-scope mapping must know them.
 */
export const PRODUCT_EVENTS = [
  'avi:jira:created:issue',
  'avi:jira:updated:issue',
  'avi:jira:assigned:issue',
  'avi:jira:commented:issue',
] as const;
export type ProductEvent = (typeof PRODUCT_EVENTS)[number];

/**
 * An issue deleted in Jira: its own trigger (`baton-issue-deleted`), which purges what app storage keeps
 * about the issue. Not in PRODUCT_EVENTS: there is nothing left in Jira to evaluate.
 */
export const ISSUE_DELETED_EVENT = 'avi:jira:deleted:issue';

/** Every product event the manifest subscribes to. */
export const SUBSCRIBED_EVENTS = [...PRODUCT_EVENTS, ISSUE_DELETED_EVENT] as const;
