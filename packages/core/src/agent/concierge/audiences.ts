/**
 * Who a stakeholder update is for. No zod here: the browser extension's content scripts import this
 * list for the audience picker and stay small (the schema is `AudienceSchema` in `concierge.ts`).
 */
export const AUDIENCES = ['customer', 'internal', 'executive'] as const;
export type Audience = (typeof AUDIENCES)[number];
