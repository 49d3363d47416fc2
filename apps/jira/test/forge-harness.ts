import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { ConsistencyOptions, JiraSim, SimSeed } from '@baton/jira-sim';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { freezeTime } from './fixtures.ts';
import { realFetch, setEgress } from './forge-egress.ts';
import type { Egress } from './forge-egress.ts';
import { KvsEmulator } from './kvs-emulator.ts';

/**
 * Runs the app's handlers the way Forge does, without Forge: `@forge/api`, `@forge/kvs` and
 * `@forge/events` all reach the platform through two globals the Forge runtime installs,
 * `__forge_fetch__` (product, KVS and queue requests) and `__forge_runtime__` (context, metrics,
 * remaining time). The harness installs both: Jira requests go to the jira-sim over HTTP with a
 * bearer token per principal (the app, or the user for `asUser`), KVS requests to an in-memory
 * emulator built from manifest.yml, queue pushes into a list a test delivers to the consumer.
 * Backend egress (`fetch` from `@forge/api`, i.e. the global `fetch`) is held to the manifest's
 * `permissions.external.fetch.backend` and routed to local servers (test/forge-egress.ts).
 */
export const MANIFEST = join(import.meta.dirname, '..', 'manifest.yml');
export const APP_TOKEN = 'forge-app';
export const userToken = (accountId: string): string => `forge-user:${accountId}`;

export interface QueuedEvent {
  queue: string;
  body: unknown;
}

export interface ForgeHarness {
  sim: JiraSim;
  kvs: KvsEmulator;
  queued: QueuedEvent[];
  /**
   * Forge LLMs as `@forge/llm` reaches them (`__forge_fetch__` with `{ type: 'llm', model }`): every
   * request is recorded; each answer comes from `replies` in order (none left: a 503).
   */
  llm: { sent: { model: string; body: Record<string, unknown> }[]; replies: (() => Response)[] };
  /** Backend egress (`fetch` from `@forge/api`): the manifest's declared hosts, routes to local servers, what was sent. */
  egress: Egress;
  /** What `getAppContext().invocationRemainingTimeInMillis()` answers. */
  remainingMs: number;
  close(): Promise<void>;
}

interface ForgeGlobals {
  __forge_fetch__?: (target: Record<string, unknown>, path: string, init?: RequestInit) => Promise<Response>;
  __forge_runtime__?: unknown;
}

export interface HarnessOptions {
  seed?: SimSeed;
  consistency?: ConsistencyOptions;
  /** The manifest the app runs under (default: apps/jira/manifest.yml); an edition's for its tests. */
  manifest?: string;
}

const backendEgress = (manifestPath: string): string[] =>
  (
    (
      parse(readFileSync(manifestPath, 'utf8')) as {
        permissions?: { external?: { fetch?: { backend?: (string | { address: string })[] } } };
      }
    ).permissions?.external?.fetch?.backend ?? []
  ).map((e) => (typeof e === 'string' ? e : e.address));

export async function startForgeHarness(opts: HarnessOptions = {}): Promise<ForgeHarness> {
  const seed = opts.seed ?? supportDeskSeed();
  const tokens: Record<string, string> = { [APP_TOKEN]: seed.me };
  for (const u of seed.users) tokens[userToken(u.accountId)] = u.accountId;
  const sim = await startJiraSim({
    seed,
    clock: () => Date.now(),
    auth: { tokens },
    ...(opts.consistency ? { consistency: opts.consistency } : {}),
  });
  const manifest = opts.manifest ?? MANIFEST;
  const kvs = new KvsEmulator(manifest, () => Date.now());
  const queued: QueuedEvent[] = [];
  const egress: Egress = { declared: backendEgress(manifest), routes: [], sent: [] };
  const harness: ForgeHarness = {
    sim,
    kvs,
    queued,
    llm: { sent: [], replies: [] },
    egress,
    remainingMs: 25_000,
    close: async () => undefined,
  };
  setEgress(egress);
  const g = globalThis as ForgeGlobals;

  g.__forge_runtime__ = {
    proxy: { token: 'harness' },
    tracing: { traceId: 'trace', spanId: 'span' },
    metrics: {
      counter: () => ({ incr: () => undefined }),
      timing: () => ({ measure: () => ({ stop: () => undefined }) }),
    },
    appContext: {
      appId: '00000000-0000-4000-8000-000000000000',
      appVersion: '1.0.0',
      environmentId: 'env',
      environmentType: 'DEVELOPMENT',
      invocationId: 'invocation',
      installationId: 'installation',
      moduleKey: 'test',
    },
    lambdaContext: { getRemainingTimeInMillis: () => harness.remainingMs },
  };
  g.__forge_fetch__ = async (target, path, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    if (target.type === 'kvs') {
      const r = kvs.handle(path, body === undefined ? {} : (JSON.parse(body) as Record<string, unknown>));
      return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
        status: r.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    if (target.type === 'llm') {
      harness.llm.sent.push({ model: String(target.model), body: JSON.parse(body ?? '{}') as Record<string, unknown> });
      const reply = harness.llm.replies.shift();
      return reply ? reply() : new Response(JSON.stringify({ message: 'no scripted reply' }), { status: 503 });
    }
    if (target.remote === 'stargate' && path.startsWith('/webhook/queue/publish')) {
      const push = JSON.parse(body ?? '{}') as { queueName: string; payload: { body: unknown }[] };
      for (const e of push.payload) queued.push({ queue: push.queueName, body: e.body });
      return new Response(null, { status: 201 });
    }
    if (target.remote === 'jira') {
      const token = target.provider === 'user' ? userToken(String(target.accountId)) : APP_TOKEN;
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return realFetch(`${sim.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
      });
    }
    throw new Error(`harness: no route for ${JSON.stringify(target)} ${path}`);
  };
  harness.close = async () => {
    delete g.__forge_fetch__;
    delete g.__forge_runtime__;
    setEgress(undefined);
    await sim.close();
  };
  return harness;
}

/** A Forge issue event as documented: the issue (id, key, some fields), who did it, and the change. */
export function issueEvent(
  sim: JiraSim,
  eventType:
    'avi:jira:created:issue' | 'avi:jira:updated:issue' | 'avi:jira:assigned:issue' | 'avi:jira:commented:issue',
  key: string,
  extra: {
    atlassianId?: string;
    selfGenerated?: boolean;
    changelogItems?: { field: string; fromString?: string | null; toString?: string | null }[];
    comment?: { id: string; author: { accountId: string; accountType?: string } };
  } = {},
): Record<string, unknown> {
  const issue = sim.store.get(key);
  const project = sim.store.project(issue);
  return {
    eventType,
    issue: {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: issue.summary,
        project: { id: project.id, key: project.key, name: project.name },
        status: { id: issue.statusId, name: sim.store.statuses.get(issue.statusId)?.name },
        assignee: issue.assignee === null ? null : { accountId: issue.assignee },
        created: new Date(issue.created).toISOString(),
        updated: new Date(issue.updated).toISOString(),
      },
    },
    atlassianId: extra.atlassianId ?? 'u-grace',
    associatedUsers: [{ accountId: extra.atlassianId ?? 'u-grace' }],
    ...(extra.selfGenerated === undefined ? {} : { selfGenerated: extra.selfGenerated }),
    ...(extra.changelogItems ? { changelog: { id: '1', items: extra.changelogItems } } : {}),
    ...(extra.comment ? { comment: extra.comment } : {}),
    context: { cloudId: 'cloud', moduleKey: 'baton-issue-events' },
  };
}

/**
 * The lifecycle the app's tests share: before each test, time frozen (at NOW unless `at`) and a
 * fresh harness (seeded with `seed()` when given, under `manifest` when given: an edition's) handed to `started` (which may add its own setup,
 * awaited); after it, the harness closed and real timers back.
 */
export function useForgeHarness(
  started: (h: ForgeHarness) => void | Promise<void>,
  opts: { at?: number; seed?: () => SimSeed; manifest?: string } = {},
): void {
  let current: ForgeHarness | undefined;
  beforeEach(async () => {
    freezeTime(opts.at);
    current = await startForgeHarness({
      ...(opts.seed ? { seed: opts.seed() } : {}),
      ...(opts.manifest === undefined ? {} : { manifest: opts.manifest }),
    });
    await started(current);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
    vi.useRealTimers();
  });
}
