import { Resolver } from '../platform/resolver-class.ts';
import { forgeDeps, forgeUserJira } from './forge-deps.ts';
import { createUiResolvers } from '../resolvers/ui-resolvers.ts';

const resolver = new Resolver();
for (const [name, handler] of Object.entries(
  createUiResolvers((accountId) => ({ deps: forgeDeps(), asUser: forgeUserJira(accountId) })),
)) {
  resolver.define(name, (req) => handler({ payload: req.payload, context: { accountId: req.context.accountId } }));
}

/** The resolver behind every UI module (issue panel, SLA context, admin and project settings pages). */
export const uiResolver = resolver.getDefinitions();
