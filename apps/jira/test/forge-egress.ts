import { EgressFilteringService } from '@forge/egress';

/**
 * Forge's backend egress, for the harness. In the nodejs22.x runtime `fetch` from `@forge/api` is the
 * global `fetch` (wrapped only to unwrap a `route`), captured when `@forge/api` loads; the platform lets
 * it reach only the hosts the manifest declares under `permissions.external.fetch.backend` and answers
 * anything else with a 403 response rather than an error. `test/setup-egress.ts` installs this layer
 * as the global `fetch` before any test file loads `@forge/api`; while a harness runs, a request is
 * checked with `@forge/egress`'s `EgressFilteringService` (the matcher `@forge/api`'s own
 * `permissions.canFetchFrom` uses) against the harness's manifest, recorded, and a declared host is
 * routed to a local server the test names. With no harness running, requests pass through.
 */
export interface EgressRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Whether the manifest's backend egress allowed it (refused ones got a 403). */
  allowed: boolean;
}

export interface Egress {
  /** The manifest's `permissions.external.fetch.backend` addresses. */
  readonly declared: readonly string[];
  /** Where requests to a declared URL prefix go instead (a local wire-format server). */
  readonly routes: { from: string; to: string }[];
  readonly sent: EgressRequest[];
}

interface EgressGlobals {
  __baton_real_fetch__?: typeof fetch;
  __baton_egress__?: Egress;
}
const g = globalThis as EgressGlobals;

/** The process's own fetch: the harness talks to the Jira sim and test servers with it. */
export const realFetch: typeof fetch = (...args) => (g.__baton_real_fetch__ ?? globalThis.fetch)(...args);

export function installEgressLayer(): void {
  if (g.__baton_real_fetch__ !== undefined) return;
  const real = globalThis.fetch.bind(globalThis);
  g.__baton_real_fetch__ = real;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const egress = g.__baton_egress__;
    if (egress === undefined) return real(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const allowed = url.startsWith('https://') && new EgressFilteringService([...egress.declared]).isValidUrl(url);
    egress.sent.push({
      url,
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      allowed,
    });
    if (!allowed)
      return new Response(
        JSON.stringify({ message: `egress to ${new URL(url).host} is not declared in the manifest` }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      );
    const route = egress.routes.find((r) => url.startsWith(r.from));
    if (route === undefined) throw new TypeError(`fetch failed: the harness has no route for ${url}`);
    return real(route.to + url.slice(route.from.length), init);
  };
}

export function setEgress(egress: Egress | undefined): void {
  if (egress === undefined) delete g.__baton_egress__;
  else g.__baton_egress__ = egress;
}
