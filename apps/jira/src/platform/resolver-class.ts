import ResolverImport from '@forge/resolver';

/**
 * `@forge/resolver`'s class. It is CommonJS with `exports.default`: Forge's bundler and Vitest
 * hand us the class, while Node-mode interop (esbuild for a `"type": "module"` package) hands us
 * the exports object. Accept both so the production bundle and the tests run the same code.
 */
const maybeNested = ResolverImport as unknown as { default?: typeof ResolverImport };
export const Resolver: typeof ResolverImport =
  typeof ResolverImport === 'function' ? ResolverImport : (maybeNested.default as typeof ResolverImport);
