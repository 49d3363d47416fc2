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
