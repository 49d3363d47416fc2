import { join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '@baton/jira';
import { startJiraSim, supportDeskSeed } from '@baton/jira-sim';
import type { ConsistencyOptions, IndexedPropertyValue, JiraSim, SimSeed } from '@baton/jira-sim';
import type { SignedSlackRequest } from '@baton/slack-sim';
import * as z from 'zod';
import { freezeTime } from './fixtures.ts';
import { realFetch, setEgress } from './forge-egress.ts';
import type { Egress } from './forge-egress.ts';
import { KvsEmulator } from './kvs-emulator.ts';
import { readManifest } from './read-manifest.ts';
import { forgetScope } from '../src/app/scope-cache.ts';

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
  body: Record<string, unknown>;
  jobId: string;
  eventId: string;
  delayInSeconds?: number;
  /** Set on a redelivery: what the consumer's last InvocationError asked for. */
  retryContext?: { retryCount: number; retryReason: string; retryData: unknown };
}

/** What became of one invocation: its result, or the retry its InvocationError asked for, or what it threw. */
export type InvocationOutcome<R> =
  | { kind: 'returned'; result: R }
  | { kind: 'retry'; retryAfter: number; retryReason: string; retryData: unknown }
  | { kind: 'threw'; error: unknown };

/**
 * Forge's retry rule, for triggers and consumers alike: only a returned InvocationError (its JSON has
 * `_retry: true` and `retryOptions`) is retried; a thrown error ends the invocation for good
 * (https://developer.atlassian.com/platform/forge/events-reference/product_events/ ,
 * https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api/).
 */
export async function invocationOutcome<R>(run: () => Promise<R>): Promise<InvocationOutcome<R>> {
  try {
    const result = await run();
    // The runtime serialises what the function returns; an InvocationError serialises as `{ _retry: true, retryOptions }`.
    const json = (result === undefined ? undefined : JSON.parse(JSON.stringify(result))) as
      { _retry?: boolean; retryOptions?: { retryAfter: number; retryReason: string; retryData?: unknown } } | undefined;
    if (json?._retry === true && json.retryOptions)
      return {
        kind: 'retry',
        retryAfter: json.retryOptions.retryAfter,
        retryReason: json.retryOptions.retryReason,
        retryData: json.retryOptions.retryData,
      };
    return { kind: 'returned', result };
  } catch (error) {
    return { kind: 'threw', error };
  }
}

/** The AsyncEvent Forge hands a `function:` consumer (@forge/events 2.x and later): the pushed event plus ids and retryContext. */
export function asyncEventOf(e: QueuedEvent): Record<string, unknown> {
  return {
    queueName: e.queue,
    jobId: e.jobId,
    eventId: e.eventId,
    body: e.body,
    ...(e.delayInSeconds === undefined ? {} : { delayInSeconds: e.delayInSeconds }),
    ...(e.retryContext === undefined ? {} : { retryContext: e.retryContext }),
  };
}

/**
 * Invocation time per module (https://developer.atlassian.com/platform/forge/limits-invocation):
 * 25 s for triggers and UI resolvers; functions referenced only by a consumer or a scheduled trigger
 * 55 s by default, `timeoutSeconds` up to 900.
 */
export function invocationBudgetMs(manifestPath: string, functionKey: string): number {
  const m = readManifest(manifestPath) as {
    modules: Record<string, { key: string; function?: string; timeoutSeconds?: number }[]>;
  };
  const fn = m.modules.function?.find((f) => f.key === functionKey);
  if (!fn) throw new Error(`manifest.yml has no function '${functionKey}'`);
  const users = Object.entries(m.modules)
    .filter(([type]) => type !== 'function')
    .flatMap(([type, mods]) =>
      mods
        .filter(
          (mod) =>
            mod.function === functionKey ||
            (mod as { resolver?: { function?: string } }).resolver?.function === functionKey,
        )
        .map(() => type),
    );
  const long = users.length > 0 && users.every((t) => t === 'consumer' || t === 'scheduledTrigger');
  if (!long) return 25_000;
  if (fn.timeoutSeconds !== undefined && (fn.timeoutSeconds < 1 || fn.timeoutSeconds > 900))
    throw new Error(`function '${functionKey}': timeoutSeconds ${fn.timeoutSeconds} is outside 1–900`);
  return (fn.timeoutSeconds ?? 55) * 1000;
}

/**
 * Queue push limits (https://developer.atlassian.com/platform/forge/runtime-reference/async-events-api):
 * at most 50 events per push, 200 KB combined, `delayInSeconds` 0–900, each body an object.
 */
const MAX_PUSH_EVENTS = 50;
const ReportAccountsSchema = z.object({
  accounts: z.array(z.object({ accountId: z.string().min(1), updatedAt: z.iso.datetime() })).min(1),
});
const MAX_PUSH_KB = 200;

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
  /** The personal-data reporting API: what Atlassian answers per account, and every request's accounts. */
  privacy: {
    status: Map<string, 'closed' | 'updated'>;
    reports: { accountId: string; updatedAt: string }[][];
  };
  /**
   * What `getAppContext().invocationRemainingTimeInMillis()` answers. Set it when an invocation starts
   * (its budget); it then counts down as the invocation's clock moves: a wait inside the invocation
   * (see `startForgeHarness`) spends it, and a wait that outlasts it stops the invocation.
   */
  remainingMs: number;
  /**
   * Delivers what is queued to `consumer` as Forge does: each event as an AsyncEvent, with the
   * consumer's time budget from the manifest; an InvocationError returned puts the event back with
   * `retryContext` (up to `maxRetries` redeliveries), a thrown error drops it. Returns every outcome.
   */
  drainQueue(
    consumer: (event: never) => Promise<unknown>,
    opts?: { maxRetries?: number; functionKey?: string },
  ): Promise<{ event: QueuedEvent; outcome: InvocationOutcome<unknown> }[]>;
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

const declaredScopes = (manifestPath: string): string[] =>
  (readManifest(manifestPath) as { permissions?: { scopes?: string[] } }).permissions?.scopes ?? [];

const backendEgress = (manifestPath: string): string[] =>
  (
    (
      readManifest(manifestPath) as {
        permissions?: { external?: { fetch?: { backend?: (string | { address: string })[] } } };
      }
    ).permissions?.external?.fetch?.backend ?? []
  ).map((e) => (typeof e === 'string' ? e : e.address));

/** The issue-property values the manifest's `jira:entityProperty` modules ask Jira to index. */
export function indexedPropertiesOf(manifestPath: string): IndexedPropertyValue[] {
  const modules =
    (
      readManifest(manifestPath) as {
        modules?: {
          'jira:entityProperty'?: { entityType?: string; propertyKey: string; values: IndexedPropertyValue[] }[];
        };
      }
    ).modules?.['jira:entityProperty'] ?? [];
  return modules
    .filter((m) => (m.entityType ?? 'issue') === 'issue')
    .flatMap((m) => m.values.map((v) => ({ ...v, propertyKey: m.propertyKey })));
}

export async function startForgeHarness(opts: HarnessOptions = {}): Promise<ForgeHarness> {
  forgetScope(); // a fresh runtime: nothing kept in memory from an earlier test
  const seed = opts.seed ?? supportDeskSeed();
  const tokens: Record<string, string> = { [APP_TOKEN]: seed.me };
  for (const u of seed.users) tokens[userToken(u.accountId)] = u.accountId;
  const manifest = opts.manifest ?? MANIFEST;
  const sim = await startJiraSim({
    seed,
    clock: () => Date.now(),
    auth: { tokens },
    ...(opts.consistency ? { consistency: opts.consistency } : {}),
    // Installing the app registers its `jira:entityProperty` modules: Jira's JQL then searches those values.
    indexedProperties: indexedPropertiesOf(manifest),
  });
  const kvs = new KvsEmulator(manifest, () => Date.now());
  const queued: QueuedEvent[] = [];
  const egress: Egress = { declared: backendEgress(manifest), routes: [], sent: [] };
  const harness: ForgeHarness = {
    sim,
    kvs,
    queued,
    llm: { sent: [], replies: [] },
    egress,
    privacy: { status: new Map(), reports: [] },
    remainingMs: 25_000,
    drainQueue: async (consumer, drainOpts = {}) => {
      const out: { event: QueuedEvent; outcome: InvocationOutcome<unknown> }[] = [];
      const budget = invocationBudgetMs(manifest, drainOpts.functionKey ?? 'work-consumer');
      for (let e = queued.shift(); e !== undefined; e = queued.shift()) {
        harness.remainingMs = budget;
        const event = e;
        const outcome = await invocationOutcome(() => consumer(asyncEventOf(event) as never));
        out.push({ event, outcome });
        const retries = event.retryContext?.retryCount ?? 0;
        if (outcome.kind === 'retry' && retries < (drainOpts.maxRetries ?? 4))
          queued.push({
            ...event,
            retryContext: { retryCount: retries + 1, retryReason: outcome.retryReason, retryData: outcome.retryData },
          });
      }
      return out;
    },
    close: async () => undefined,
  };
  /*
   * The invocation's clock. Forge stops a function at its time limit, whatever it is doing
   * (https://developer.atlassian.com/platform/forge/limits-invocation): the app's Jira client waits
   * between retries (Retry-After on a 429, backoff on a 5xx), and that wait is spent from the
   * invocation's time. With the test's clock faked (`vi.useFakeTimers`), a wait moves the clock instead
   * of the wall clock (so Jira's Retry-After, SLA clocks and expiry see the time pass) and is taken from
   * `remainingMs`; a wait longer than what is left stops the invocation: the wait and every platform
   * call after it fail, until the next invocation sets `remainingMs` again. (A test that moves the clock
   * itself does so between invocations: that spends no invocation's time.) With a real clock, waits are
   * real.
   */
  let budget = harness.remainingMs;
  let waited = 0;
  let stopped: string | undefined;
  Object.defineProperty(harness, 'remainingMs', {
    configurable: true,
    enumerable: true,
    get: () => budget - waited,
    set: (ms: number) => {
      budget = ms;
      waited = 0;
      stopped = undefined;
    },
  });
  const realWait = DEFAULT_RETRY_POLICY.sleep;
  const waits = vi.spyOn(DEFAULT_RETRY_POLICY, 'sleep').mockImplementation(async (ms) => {
    if (!vi.isFakeTimers()) return realWait(ms);
    const left = Math.max(0, harness.remainingMs);
    const spent = Math.min(ms, left);
    waited += spent;
    vi.setSystemTime(Date.now() + spent);
    if (ms >= left) {
      stopped = `invocation stopped at its time limit: waited ${ms} ms with ${left} ms left`;
      throw new Error(stopped);
    }
  });
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
    if (stopped !== undefined) throw new Error(stopped);
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
    if (target.remote === 'stargate' && path === '/app/report-accounts') {
      // The personal-data reporting API (https://developer.atlassian.com/platform/forge/user-privacy-guidelines/;
      // the wire as `@forge/api` 8.3.0's privacy module sends it): at most 90 accounts a request, each an
      // account id and an ISO time; 200 with the accounts to act on, 204 when there are none.
      if (!declaredScopes(manifest).includes('report:personal-data'))
        return new Response(JSON.stringify({ message: 'the app does not declare report:personal-data' }), {
          status: 403,
        });
      const parsedReport = ReportAccountsSchema.safeParse(JSON.parse(body ?? '{}'));
      if (!parsedReport.success || parsedReport.data.accounts.length > 90)
        return new Response(JSON.stringify({ message: 'accounts: 1–90 of { accountId, updatedAt }' }), { status: 400 });
      harness.privacy.reports.push(parsedReport.data.accounts);
      const act = parsedReport.data.accounts.flatMap((a) => {
        const status = harness.privacy.status.get(a.accountId);
        return status === undefined ? [] : [{ accountId: a.accountId, status }];
      });
      return act.length === 0
        ? new Response(null, { status: 204 })
        : new Response(JSON.stringify({ accounts: act }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
    }
    if (target.remote === 'stargate' && path.startsWith('/webhook/queue/publish')) {
      const push = JSON.parse(body ?? '{}') as {
        queueName: string;
        jobId: string;
        payload: { body: Record<string, unknown>; delayInSeconds?: number }[];
      };
      const refuse = (status: number, errorMessage: string) =>
        new Response(JSON.stringify({ errorMessage, message: errorMessage }), { status });
      if (push.payload.length === 0 || push.payload.length > MAX_PUSH_EVENTS)
        return refuse(400, `a push takes 1–${MAX_PUSH_EVENTS} events; got ${push.payload.length}`);
      if (Buffer.byteLength(JSON.stringify(push.payload)) / 1024 > MAX_PUSH_KB)
        return refuse(413, `the events of one push exceed ${MAX_PUSH_KB} KB`);
      for (const e of push.payload) {
        if (typeof e.body !== 'object' || e.body === null || Array.isArray(e.body))
          return refuse(400, 'an event body must be an object');
        if (e.delayInSeconds !== undefined && (e.delayInSeconds < 0 || e.delayInSeconds > 900))
          return refuse(400, 'delayInSeconds must be 0–900');
      }
      push.payload.forEach((e, i) =>
        queued.push({
          queue: push.queueName,
          body: e.body,
          jobId: push.jobId,
          eventId: `${push.jobId}#${i}`,
          ...(e.delayInSeconds === undefined ? {} : { delayInSeconds: e.delayInSeconds }),
        }),
      );
      return new Response(JSON.stringify({ jobId: push.jobId }), { status: 201 });
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
    waits.mockRestore();
    await sim.close();
  };
  return harness;
}

/**
 * A product event delivered as Forge delivers it to a `trigger`: the manifest's `filter` first
 * (https://developer.atlassian.com/platform/forge/manifest-reference/modules/trigger/ , "Filter reference"):
 * `ignoreSelf` drops what the app's own account did, `expression` drops an event it evaluates to false
 * for, and an expression that fails follows `onError` (IGNORE / IGNORE_AND_LOG drop it, the default;
 * RECEIVE / RECEIVE_AND_LOG deliver it). Only then is the function invoked.
 *
 * Forge evaluates the expression as a Jira expression; the harness evaluates the subset the app uses
 * (property access with `?.`, `==`/`!=`, `&&`/`||`/`!`, string and number literals, `null`,
 * `.length`, `.some`/`.every` with an arrow) as JavaScript, which reads it the same way, and refuses
 * anything outside that subset rather than guess.
 */
export async function deliverProductEvent<R>(
  handler: (event: never) => Promise<R>,
  event: Record<string, unknown>,
  opts: { manifest?: string; appAccountId?: string } = {},
): Promise<{ delivered: false; why: string } | { delivered: true; outcome: InvocationOutcome<R> }> {
  const m = readManifest(opts.manifest ?? MANIFEST) as {
    modules: {
      trigger: {
        key: string;
        events: string[];
        filter?: { ignoreSelf?: boolean; expression?: string; onError?: string };
      }[];
    };
  };
  const trigger = m.modules.trigger.find((t) => t.events.includes(String(event['eventType'])));
  if (!trigger) return { delivered: false, why: `no trigger subscribes to ${String(event['eventType'])}` };
  const f = trigger.filter ?? {};
  if (f.ignoreSelf === true && event['atlassianId'] === (opts.appAccountId ?? 'app-baton'))
    return { delivered: false, why: 'ignoreSelf' };
  if (f.expression !== undefined) {
    let keep: boolean;
    try {
      keep = evaluateFilterExpression(f.expression, event);
    } catch (e) {
      if (!(f.onError ?? 'IGNORE_AND_LOG').startsWith('RECEIVE'))
        return { delivered: false, why: `filter error: ${(e as Error).message}` };
      keep = true;
    }
    if (!keep) return { delivered: false, why: 'filter expression' };
  }
  return { delivered: true, outcome: await invocationOutcome(() => handler(event as never)) };
}

/** The trigger filter's expression over `event` (the subset described at `deliverProductEvent`). */
export function evaluateFilterExpression(expression: string, event: Record<string, unknown>): boolean {
  const outside =
    /===|!==|;|[{}`[\]]|\bnew\b|\bfunction\b|\b(?:globalThis|process|require|import|this)\b|[^=!<>]=[^=>]/.exec(
      expression,
    );
  if (outside) throw new Error(`the harness does not evaluate '${outside[0]}' in a filter expression`);
  const value: unknown = new Function('event', `"use strict"; return (${expression});`)(event);
  if (typeof value !== 'boolean') throw new Error(`the filter expression gave ${JSON.stringify(value)}, not a boolean`);
  return value;
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
 * What must finish before a test's harness closes, registered by the helpers that start work of their
 * own (the UI Kit host: its page's resolver calls still in flight). Such work, left to outlive its
 * harness, met a closed sim and retried on real timers after the test file had ended.
 */
const finishFirst = new Set<() => Promise<void>>();
export function finishBeforeClose(finish: () => Promise<void>): void {
  finishFirst.add(finish);
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
    for (const finish of finishFirst) await finish();
    await current?.close();
    current = undefined;
    vi.useRealTimers();
  });
}

/** One `baton-work` event as the consumer receives it (an AsyncEvent), for tests that deliver by hand. */
export const consumerEvent = (body: unknown, n = 0): never =>
  asyncEventOf({
    queue: 'baton-work',
    body: body as Record<string, unknown>,
    jobId: 'job',
    eventId: `job#${n}`,
  }) as never;

/** A signed Slack request as Forge hands it to the app's web trigger: a POST, each header as a list of values. */
export const asForge = (req: SignedSlackRequest) => ({
  method: 'POST',
  headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [v]])),
  body: req.body,
});
