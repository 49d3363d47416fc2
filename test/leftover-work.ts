// Lists the work a test file started and did not stop: timeouts, intervals and immediates still
// pending, under a DOM environment MutationObservers still connected, and servers and child
// processes still open. `setup-leftover-work.ts`
// fails a file that leaves any (see `./README.md`).

import { setImmediate as nextTurn } from 'node:timers';

/**
 * Two turns of the event loop: what a closed server or stream finishes after its close callback (Node
 * lets go of a server's handle in the close phase after it) is then over.
 */
export async function settled(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => nextTurn(resolve));
}

type Callback = (...args: unknown[]) => void;
/** The part of the DOM's MutationObserver this needs (the workspace's tests compile without the DOM library). */
interface Observer {
  observe(target: unknown, options?: unknown): void;
  disconnect(): void;
}
type ObserverClass = new (callback: Callback) => Observer;
type Start = (fn: Callback, ...rest: unknown[]) => unknown;

export interface Leftovers {
  /** What is still pending or connected, one line each, with where it was started. */
  pending(): string[];
  /** Puts the original timers and MutationObserver back. */
  restore(): void;
}

/** The frames of a stack below the wrapper that made it (this file's frames left out). */
const framesOf = (error: Error): string[] =>
  (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().replace(/^at /, ''))
    .filter((l) => !l.includes('leftover-work.ts'));

/**
 * Started by the fetch implementation alone, with no other JavaScript on the stack: the idle timer of
 * a pooled connection, or the tick of its connect timeouts (Node's own undici, or the npm undici a
 * dependency brings). It runs no code of the test's, and it ends with the socket.
 */
const byFetchAlone = (error: Error): boolean =>
  framesOf(error).every(
    (l) => l.includes('node:') || l.includes('/node_modules/undici/') || /(^|\()<anonymous>\)?$/.test(l),
  );

/**
 * Left over, known and harmless, until its owner stops it: where it is started (a path in the stack),
 * and why it may run after the file.
 */
export const TOLERATED: readonly { readonly startedIn: string; readonly why: string }[] = [];
const tolerated = (error: Error): boolean => TOLERATED.some((t) => (error.stack ?? '').includes(t.startedIn));

/** The first frames of a stack that are not Node's or a dependency's. */
function whereFrom(error: Error): string {
  const own = framesOf(error).filter((l) => !l.includes('node:') && !l.includes('/node_modules/'));
  return own.slice(0, 3).join(' ← ') || `a dependency: ${framesOf(error).slice(0, 3).join(' ← ')}`;
}

const HANDLE_NAMES: Readonly<Record<string, string>> = {
  TCPServerWrap: 'servers listening (TCP)',
  PipeServerWrap: 'servers listening (pipe)',
  ProcessWrap: 'child processes running',
  UDPWrap: 'UDP sockets open',
};

/** The wrapper with the original's own properties (Node's `setTimeout` carries its `util.promisify` form). */
function dressedAs<F extends object>(wrapper: F, original: unknown): F {
  const descriptors = Object.getOwnPropertyDescriptors(original);
  for (const key of ['length', 'name', 'prototype']) delete descriptors[key];
  return Object.defineProperties(wrapper, descriptors);
}

/**
 * Wraps the global timers (and `MutationObserver`, when the environment has one) so that what was
 * started and not stopped can be listed. Fake timers (`vi.useFakeTimers`) are not seen: they never
 * fire on their own.
 */
export function trackLeftovers(global: typeof globalThis = globalThis): Leftovers {
  const g = global as unknown as Record<string, unknown> & { MutationObserver?: ObserverClass };
  const names = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate'];
  const original = Object.fromEntries(names.map((n) => [n, g[n]]));
  const live = new Map<unknown, { kind: string; at: Error }>();

  // `once`: a timeout or an immediate is over when it fires; an interval only when it is cleared.
  const tracked = (name: string, once: boolean, label: (rest: unknown[]) => string) =>
    dressedAs((fn: Callback, ...rest: unknown[]): unknown => {
      const at = new Error(name);
      const start = original[name] as Start;
      const handle: unknown = once
        ? start(
            function (this: unknown, ...a: unknown[]) {
              live.delete(handle);
              return fn.apply(this, a);
            },
            ...rest,
          )
        : start(fn, ...rest);
      live.set(handle, { kind: `${name}${label(rest)}`, at });
      return handle;
    }, original[name]);
  const ms = (rest: unknown[]): string => ` (${String(rest[0] ?? 0)} ms)`;
  // Node's timeouts and intervals clear each other, and can be cleared by their numeric id.
  const clear = (name: string) =>
    dressedAs((handle?: unknown): void => {
      if (!live.delete(handle) && typeof handle === 'number')
        for (const h of live.keys()) if (typeof h === 'object' && h !== null && Number(h) === handle) live.delete(h);
      (original[name] as (h: unknown) => void)(handle);
    }, original[name]);
  Object.assign(g, {
    setTimeout: tracked('setTimeout', true, ms),
    setInterval: tracked('setInterval', false, ms),
    setImmediate: tracked('setImmediate', true, () => ''),
    clearTimeout: clear('clearTimeout'),
    clearInterval: clear('clearInterval'),
    clearImmediate: clear('clearImmediate'),
  });

  const observing = new Map<Observer, Error>();
  const Base = typeof g.MutationObserver === 'function' ? g.MutationObserver : undefined;
  if (Base !== undefined)
    g.MutationObserver = class extends Base {
      override observe(target: unknown, options?: unknown): void {
        super.observe(target, options);
        if (!observing.has(this)) observing.set(this, new Error('MutationObserver'));
      }
      override disconnect(): void {
        observing.delete(this);
        super.disconnect();
      }
    };

  // Servers and child processes have no stack to show: they are counted (Node's active handles).
  const HANDLES = ['TCPServerWrap', 'PipeServerWrap', 'ProcessWrap', 'UDPWrap'];
  const countHandles = (): Map<string, number> => {
    const n = new Map<string, number>();
    for (const r of process.getActiveResourcesInfo()) if (HANDLES.includes(r)) n.set(r, (n.get(r) ?? 0) + 1);
    return n;
  };
  const before = countHandles();
  const opened = (): string[] =>
    [...countHandles()]
      .filter(([r, n]) => n > (before.get(r) ?? 0))
      .map(([r, n]) => `${HANDLE_NAMES[r] ?? r}: ${String(n - (before.get(r) ?? 0))} more than when the file started`);

  return {
    pending: () => [
      ...[...live.values()]
        .filter((t) => !byFetchAlone(t.at) && !tolerated(t.at))
        .map((t) => `${t.kind} started at ${whereFrom(t.at)}`),
      ...[...observing.values()].map((at) => `MutationObserver still observing, from ${whereFrom(at)}`),
      ...opened(),
    ],
    restore: () => {
      Object.assign(g, original);
      if (Base !== undefined) g.MutationObserver = Base;
    },
  };
}
