import { CharterSchema, CHARTER_VERSION, type Charter } from './charter-schema.ts';

/** Everything in scope, no goals or ladders, every action kind on `assist`: the agent only suggests. */
export const DEFAULT_CHARTER: Charter = CharterSchema.parse({ version: CHARTER_VERSION, name: 'default' });
