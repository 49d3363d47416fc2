import { createServer } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers';
import { describe, expect, it } from 'vitest';
import { settled, trackLeftovers } from './leftover-work.ts';

/** A global of its own, with the real timers and a stand-in MutationObserver, so the test's own stay untouched. */
function fakeGlobal() {
  class Observer {
    observe(): void {}
    disconnect(): void {}
  }
  return {
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    setImmediate,
    clearImmediate,
    MutationObserver: Observer,
  } as unknown as typeof globalThis & { MutationObserver: new (cb: () => void) => Observer };
}
const turn = () => new Promise<void>((resolve) => nextTurn(resolve));

describe('leftover work', () => {
  it('lists a pending timeout, interval or immediate with where it was started, until it fires or is cleared', async () => {
    const g = fakeGlobal();
    const left = trackLeftovers(g);
    const fired: string[] = [];
    const timeout = g.setTimeout(() => fired.push('timeout'), 60_000);
    const interval = g.setInterval(() => fired.push('interval'), 60_000);
    g.setImmediate(() => fired.push('immediate'));
    const byId = g.setTimeout(() => fired.push('by id'), 60_000);
    expect(left.pending()).toEqual([
      expect.stringMatching(/^setTimeout \(60000 ms\) started at .*leftover-work\.test\.ts:\d+/),
      expect.stringMatching(/^setInterval \(60000 ms\) started at .*leftover-work\.test\.ts/),
      expect.stringMatching(/^setImmediate started at .*leftover-work\.test\.ts/),
      expect.stringMatching(/^setTimeout \(60000 ms\) started at /),
    ]);
    await turn();
    expect(fired).toEqual(['immediate']);
    g.clearTimeout(timeout);
    // Node's timeouts and intervals clear each other, and a timeout can be cleared by its number.
    g.clearTimeout(interval);
    g.clearTimeout(Number(byId) as never);
    expect(left.pending()).toEqual([]);
    left.restore();
    expect(g.setTimeout).toBe(setTimeout);
  });

  it('forgets a timeout once it has fired, and keeps the promisified form of setTimeout', async () => {
    const g = fakeGlobal();
    const left = trackLeftovers(g);
    await new Promise((resolve) => g.setTimeout(resolve, 1));
    expect(left.pending()).toEqual([]);
    const { promisify } = await import('node:util');
    expect(await promisify(g.setTimeout)(1, 'value')).toBe('value');
    left.restore();
  });

  it('lists a MutationObserver still observing, until it disconnects', () => {
    const g = fakeGlobal();
    const Original = g.MutationObserver;
    const left = trackLeftovers(g);
    const watcher = new g.MutationObserver(() => {});
    expect(watcher).toBeInstanceOf(Original);
    watcher.observe();
    watcher.observe();
    expect(left.pending()).toEqual([
      expect.stringMatching(/^MutationObserver still observing, from .*leftover-work\.test\.ts/),
    ]);
    watcher.disconnect();
    expect(left.pending()).toEqual([]);
    left.restore();
    expect(g.MutationObserver).toBe(Original);
  });

  it('counts a server still listening, which has no stack to show, until it is closed', async () => {
    const left = trackLeftovers(fakeGlobal());
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    expect(left.pending()).toEqual(['servers listening (TCP): 1 more than when the file started']);
    await new Promise((resolve) => server.close(resolve));
    // Node lets go of the handle after the close callback; the setup file waits as long.
    await settled();
    expect(left.pending()).toEqual([]);
    left.restore();
  });
});
