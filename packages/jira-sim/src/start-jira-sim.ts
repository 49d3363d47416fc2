import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultQueue, defaultFaultBody } from './faults.ts';
import type { IndexedPropertyValue } from './jql.ts';
import type { FaultSpec } from './faults.ts';
import { createRateLimiter, type SimRateLimit } from './rate-limit.ts';
import { findRoute } from './routes.ts';
import type { SimSeed } from './seed.ts';
import { SimError, SimStore } from './store.ts';
import type { ConsistencyOptions, SimPageLimits } from './store.ts';

export interface SimAuthOptions {
  /** Cookie value → account id: the browser's Jira session (the extension's case). */
  sessions?: Record<string, string>;
  /** Cookie that carries the session (Jira Cloud: `tenant.session.token`). */
  cookieName?: string;
  /** Bearer token → account id: server-to-server callers (the app through a proxy, Data Center personal access tokens). */
  tokens?: Record<string, string>;
  /**
   * `email:apiToken` → account id: Jira Cloud's basic auth for scripts, `Authorization: Basic
   * base64(email:apiToken)` (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/).
   */
  basic?: Record<string, string>;
  /** Reject cookie-authenticated writes without `X-Atlassian-Token: no-check`, as Jira does (default true). */
  xsrf?: boolean;
}

export interface JiraSimOptions {
  seed: SimSeed;
  /** The sim's clock (ms). Writes are stamped with it and eventual consistency is measured in it. */
  clock?: () => number;
  consistency?: ConsistencyOptions;
  /** When absent every request is let in as `seed.me`. */
  auth?: SimAuthOptions;
  /** Origins allowed to call with credentials (exact strings or patterns), e.g. `chrome-extension://<id>`. */
  corsOrigins?: readonly (string | RegExp)[];
  host?: string;
  /** Smaller page sizes than Jira's, to prove a client pages (see `SimPageLimits`). */
  limits?: Partial<SimPageLimits>;
  /** Jira Cloud's burst rate limit and its headers (see `rate-limit.ts`); off when absent. */
  rateLimit?: SimRateLimit;
  /** Issue-property values the site's apps index for JQL (their `jira:entityProperty` modules). */
  indexedProperties?: readonly IndexedPropertyValue[];
}

/** One request as the sim saw it, for assertions. */
export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  actor: string | null;
  at: number;
}

export interface JiraSim {
  /** `http://127.0.0.1:<port>`: the site's base URL. */
  readonly url: string;
  readonly store: SimStore;
  readonly requests: SimRequest[];
  /** The next matching request(s) fail with the given status (429 with `Retry-After`, 5xx). */
  fail(spec: FaultSpec): void;
  clearFaults(): void;
  /** Requests whose path starts with `prefix` (and method, when given). */
  requestsTo(prefix: string, method?: string): SimRequest[];
  close(): Promise<void>;
}

const WRITE = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/**
 * Starts a Jira Cloud REST v3 stand-in on a random local port.
 * @example
 * const sim = await startJiraSim({ seed: supportDeskSeed() });
 * const res = await fetch(`${sim.url}/rest/api/3/search/jql`, { method: 'POST', body: JSON.stringify({ jql: 'project = SUP' }) });
 * await sim.close();
 */
export async function startJiraSim(options: JiraSimOptions): Promise<JiraSim> {
  const clock = options.clock ?? Date.now;
  const store = new SimStore(options.seed, clock, options.consistency);
  Object.assign(store.limits, options.limits);
  for (const v of options.indexedProperties ?? []) {
    if (v.type !== 'string' && v.type !== 'text')
      throw new Error(
        `jira-sim: indexed property ${v.propertyKey}.${v.path} is of type '${v.type}'; the sim searches string and text values only`,
      );
    store.indexed.push(v);
  }
  const faults = new FaultQueue();
  const limiter = options.rateLimit === undefined ? undefined : createRateLimiter(options.rateLimit, clock);
  const requests: SimRequest[] = [];
  const cookieName = options.auth?.cookieName ?? 'tenant.session.token';

  const allowedOrigin = (origin: string | undefined): string | undefined => {
    if (origin === undefined) return undefined;
    return (options.corsOrigins ?? []).some((o) => (typeof o === 'string' ? o === origin : o.test(origin)))
      ? origin
      : undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sim');
    const base = `http://${req.headers.host ?? 'localhost'}`;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const raw = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    let actor: string | null = null;
    let rateHeaders: Record<string, string> = {};
    const send = (status: number, payload?: unknown, extra: Record<string, string> = {}): void => {
      const origin = allowedOrigin(headers.origin);
      const h: Record<string, string> = { ...rateHeaders, ...extra };
      if (origin) {
        h['access-control-allow-origin'] = origin;
        h['access-control-allow-credentials'] = 'true';
        h.vary = 'Origin';
      }
      if (payload !== undefined && typeof payload !== 'string') h['content-type'] = 'application/json;charset=UTF-8';
      if (typeof payload === 'string') h['content-type'] = 'text/plain;charset=UTF-8';
      res.writeHead(status, h);
      res.end(payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload));
      requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body,
        status,
        actor,
        at: clock(),
      });
    };

    if (method === 'OPTIONS') {
      const origin = allowedOrigin(headers.origin);
      if (!origin) return send(403, { errorMessages: ['CORS origin not allowed'], errors: {} });
      return send(204, undefined, {
        'access-control-allow-methods': 'GET, POST, PUT, DELETE',
        'access-control-allow-headers': 'Content-Type, Authorization, X-Atlassian-Token',
        'access-control-max-age': '600',
      });
    }

    // Authentication: who is calling, and did they prove it the way Jira expects for that kind of caller?
    let viaCookie = false;
    if (options.auth) {
      const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
      const basic = /^Basic (.+)$/.exec(headers.authorization ?? '')?.[1];
      const basicPair = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8');
      const session = cookieValue(headers.cookie, cookieName);
      if (bearer !== undefined && options.auth.tokens?.[bearer]) actor = options.auth.tokens[bearer] as string;
      else if (basicPair !== undefined && options.auth.basic?.[basicPair])
        actor = options.auth.basic[basicPair] as string;
      else if (session !== undefined && options.auth.sessions?.[session]) {
        actor = options.auth.sessions[session] as string;
        viaCookie = true;
      }
      if (actor === null) {
        return send(401, {
          errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
          errors: {},
        });
      }
      if (
        viaCookie &&
        (options.auth.xsrf ?? true) &&
        WRITE.has(method) &&
        headers['x-atlassian-token'] !== 'no-check'
      ) {
        return send(403, 'XSRF check failed');
      }
    } else actor = store.me;

    if (limiter !== undefined) {
      const decision = limiter.take(method, url.pathname);
      rateHeaders = decision.headers;
      if (decision.limited) return send(429, defaultFaultBody(429));
    }

    const fault = faults.take(method, url.pathname);
    if (fault) {
      const extra: Record<string, string> = {
        ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }),
        ...fault.headers,
      };
      return send(fault.status, fault.body ?? defaultFaultBody(fault.status), extra);
    }

    if (badJson)
      return send(400, { errorMessages: ['Unexpected character in the request body: not valid JSON.'], errors: {} });
    const route = findRoute(method, url.pathname);
    if (route === undefined) return send(404, { errorMessages: ['null for uri: ' + url.pathname], errors: {} });
    if (route === 'method-not-allowed') return send(405, { errorMessages: ['Method Not Allowed'], errors: {} });
    try {
      const out = route.handler(store, { method, params: route.params, query: url.searchParams, body, base, actor });
      send(out.status, out.body);
    } catch (e) {
      if (e instanceof SimError) send(e.status, { errorMessages: e.errorMessages, errors: e.errors });
      else send(500, { errorMessages: [`sim bug: ${e instanceof Error ? e.message : String(e)}`], errors: {} });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    store,
    requests,
    fail: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    requestsTo: (prefix, m) =>
      requests.filter((r) => r.path.startsWith(prefix) && (m === undefined || r.method === m.toUpperCase())),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
