/**
 * Who a stakeholder update is for. No zod here: the browser extension's content scripts import this
 * list for the audience picker and stay small (the schema is `AudienceSchema` in `concierge.ts`).
 */
export const AUDIENCES = ['customer', 'internal', 'executive'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The rule id of each audience's update: literal codes, so a reader looks an audience up, never parses it. */
export const CONCIERGE_UPDATE_RULE = {
  customer: 'concierge.update.customer',
  internal: 'concierge.update.internal',
  executive: 'concierge.update.executive',
} as const satisfies Record<Audience, string>;

/** The audience whose update `rule` names, or null for any other rule. */
export const audienceOfRule = (rule: string): Audience | null =>
  AUDIENCES.find((a) => CONCIERGE_UPDATE_RULE[a] === rule) ?? null;
