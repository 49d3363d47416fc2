import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Firefox driven through its own WebDriver BiDi server (`--remote-debugging-port`), with no download:
 * no geckodriver, no Playwright Firefox build. Debian's `firefox-esr` and Node's WebSocket are all it
 * takes. Just the commands the extension's end-to-end test needs (W3C WebDriver BiDi): a session,
 * `webExtension.install` for the unpacked build, navigation, `script.evaluate`, trusted clicks
 * through `input.performActions` (the options page asks for permissions inside a user gesture),
 * cookies and screenshots.
 */

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Nothing leaves the machine: every request that is not to this computer goes to a proxy port where
 * nothing listens, and Firefox's own services (updates, telemetry, remote settings, safe browsing,
 * push, captive-portal checks) are off.
 */
const PREFS: Record<string, string | number | boolean> = {
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 1,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 1,
  'network.proxy.no_proxies_on': 'localhost, 127.0.0.1, .localhost',
  'network.proxy.allow_hijacking_localhost': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'app.update.disabledForTesting': true,
  'app.normandy.enabled': false,
  'toolkit.telemetry.enabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.search.update': false,
  'browser.region.update.enabled': false,
  'browser.newtabpage.enabled': false,
  'browser.startup.page': 0,
  'browser.shell.checkDefaultBrowser': false,
  'dom.push.connection.enabled': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'media.gmp-manager.updateEnabled': false,
};

/** The test's own JavaScript realm in a page: the page's overridden globals do not reach it. */
const SANDBOX = 'baton-e2e-probe';

export interface BidiNode {
  readonly type: 'node';
  readonly sharedId: string;
}

export interface Firefox {
  /** Sends one BiDi command and returns its `result`; a BiDi error is thrown with the command's name. */
  send<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** The first top-level browsing context (the window Firefox opened). */
  readonly context: string;
  /** Evaluates `expression` in the context; it must produce JSON text, which is parsed. */
  json<T>(expression: string, context?: string): Promise<T>;
  /** Polls until `expression` is truthy; throws with `what` after `timeoutMs`. */
  waitFor(expression: string, what: string, timeoutMs?: number, context?: string): Promise<void>;
  /** A trusted mouse click (a user gesture) on the element `expression` yields. */
  click(expression: string, context?: string): Promise<void>;
  /**
   * Runs `fn` (a function source taking the element) on the first element matching `selector` inside
   * the overlay's closed shadow root, in a sandbox of the test's own (the page's globals cannot change
   * what it sees); JSON in, JSON out. null when nothing matches or the overlay is not mounted.
   */
  inOverlay<T>(selector: string, fn: string, context?: string): Promise<T | null>;
  /** A trusted click in the middle of the first overlay element matching `selector`. */
  clickInOverlay(selector: string, context?: string): Promise<void>;
  /** The PNG of the viewport. */
  screenshot(context?: string): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Starts Firefox headless on a new profile. `prefs` are added to the defaults above (for example a
 * fixed moz-extension UUID).
 */
export async function launchFirefox(prefs: Record<string, string | number | boolean> = {}): Promise<Firefox> {
  if (!existsSync(FIREFOX)) {
    throw new Error(
      `${FIREFOX} is missing: run \`node scripts/ensure-system-deps.mjs\` (Debian: apt-get install firefox-esr) or set FIREFOX_PATH`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'baton-firefox-'));
  const lines = Object.entries({ ...PREFS, ...prefs }).map(
    ([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`,
  );
  writeFileSync(join(profile, 'user.js'), `${lines.join('\n')}\n`);
  const child: ChildProcess = spawn(
    FIREFOX,
    ['--headless', '--no-remote', '--remote-debugging-port=0', '--profile', profile],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Firefox did not start its BiDi server within 60 s:\n${output.slice(-2000)}`)),
      60_000,
    );
    const onData = (d: Buffer): void => {
      output += d.toString();
      const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${FIREFOX}: ${e.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Firefox exited (${code}) before its BiDi server started:\n${output.slice(-2000)}`));
    });
  });

  const ws = new WebSocket(`${endpoint}/session`);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`could not connect to ${endpoint}/session`));
  });
  let nextId = 0;
  const pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.onmessage = (e: MessageEvent) => {
    const m = JSON.parse(String(e.data)) as {
      id?: number;
      type: string;
      result?: unknown;
      error?: string;
      message?: string;
    };
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (m.type === 'success') p.resolve(m.result);
    else p.reject(new Error(`${p.method}: ${m.error ?? 'error'}: ${m.message ?? ''}`));
  };
  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });

  await send('session.new', { capabilities: {} });
  const tree = await send<{ contexts: { context: string }[] }>('browsingContext.getTree', { maxDepth: 0 });
  const context = tree.contexts[0]?.context;
  if (context === undefined) throw new Error('Firefox opened no window');

  const evaluate = async (expression: string, ctx: string, ownership: 'none' | 'root' = 'none') => {
    const r = await send<{
      type: string;
      result?: { type: string; value?: unknown; sharedId?: string };
      exceptionDetails?: { text: string };
    }>('script.evaluate', {
      expression,
      target: { context: ctx },
      awaitPromise: true,
      resultOwnership: ownership,
    });
    if (r.type === 'exception')
      throw new Error(`script error: ${r.exceptionDetails?.text ?? 'unknown'} in ${expression.slice(0, 120)}`);
    return r.result;
  };

  /**
   * The overlay element matching `selector`, as a BiDi node reference. The page's JavaScript gets null
   * from `host.shadowRoot`; BiDi serialises closed roots too when asked (`includeShadowTree: 'all'`).
   */
  const overlayNode = async (selector: string, ctx: string): Promise<BidiNode | null> => {
    const host = await send<{
      type: string;
      result?: { type: string; value?: { shadowRoot?: { type: string; sharedId?: string } | null } };
    }>('script.evaluate', {
      expression: `document.querySelector('baton-overlay')`,
      target: { context: ctx, sandbox: SANDBOX },
      awaitPromise: false,
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
    });
    const root = host.result?.value?.shadowRoot;
    if (root?.sharedId === undefined) return null;
    const hit = await send<{ type: string; result?: { type: string; sharedId?: string } }>('script.callFunction', {
      functionDeclaration: 'function (selector) { return this.querySelector(selector); }',
      this: { sharedId: root.sharedId },
      arguments: [{ type: 'string', value: selector }],
      target: { context: ctx, sandbox: SANDBOX },
      awaitPromise: false,
    });
    return hit.result?.type === 'node' && hit.result.sharedId !== undefined
      ? { type: 'node', sharedId: hit.result.sharedId }
      : null;
  };

  const firefox: Firefox = {
    send,
    context,
    async json<T>(expression: string, ctx = context): Promise<T> {
      const r = await evaluate(`JSON.stringify((() => ${expression})())`, ctx);
      return (r?.type === 'string' ? JSON.parse(String(r.value)) : undefined) as T;
    },
    async waitFor(expression, what, timeoutMs = 45_000, ctx = context) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        let ok = false;
        try {
          ok = await firefox.json<boolean>(`!!(${expression})`, ctx);
        } catch {
          // The page is navigating: try again.
        }
        if (ok) return;
        if (Date.now() > until) throw new Error(`Firefox: gave up waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async click(expression, ctx = context) {
      const node = await evaluate(
        `(() => { const el = ${expression}; el.scrollIntoView({ block: 'center' }); return el; })()`,
        ctx,
        'root',
      );
      if (node?.type !== 'node' || node.sharedId === undefined) throw new Error(`no element to click: ${expression}`);
      await send('input.performActions', {
        context: ctx,
        actions: [
          {
            type: 'pointer',
            id: 'mouse',
            parameters: { pointerType: 'mouse' },
            actions: [
              { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element: { sharedId: node.sharedId } } },
              { type: 'pointerDown', button: 0 },
              { type: 'pointerUp', button: 0 },
            ],
          },
        ],
      });
      await send('input.releaseActions', { context: ctx });
    },
    async inOverlay<T>(selector: string, fn: string, ctx = context): Promise<T | null> {
      const node = await overlayNode(selector, ctx);
      if (node === null) return null;
      const r = await send<{
        type: string;
        result?: { type: string; value?: unknown };
        exceptionDetails?: { text: string };
      }>('script.callFunction', {
        functionDeclaration: `function (el) { return JSON.stringify((${fn})(el)); }`,
        arguments: [{ sharedId: node.sharedId }],
        target: { context: ctx, sandbox: SANDBOX },
        awaitPromise: true,
      });
      if (r.type === 'exception') throw new Error(`script error: ${r.exceptionDetails?.text ?? 'unknown'} in ${fn}`);
      return r.result?.type === 'string' ? (JSON.parse(String(r.result.value)) as T) : null;
    },
    async clickInOverlay(selector, ctx = context) {
      // The overlay redraws whole (a late model wording, a loaded case): a node found just before a
      // redraw is gone when the click lands ("is not displayed"). Look it up again, a few times.
      for (let attempt = 1; ; attempt++) {
        try {
          const node = await overlayNode(selector, ctx);
          if (node === null) throw new Error(`nothing in the overlay to click: ${selector}`);
          await firefox.inOverlay(selector, `(el) => el.scrollIntoView({ block: 'nearest' })`, ctx);
          await send('input.performActions', {
            context: ctx,
            actions: [
              {
                type: 'pointer',
                id: 'mouse',
                parameters: { pointerType: 'mouse' },
                actions: [
                  {
                    type: 'pointerMove',
                    x: 0,
                    y: 0,
                    origin: { type: 'element', element: { sharedId: node.sharedId } },
                  },
                  { type: 'pointerDown', button: 0 },
                  { type: 'pointerUp', button: 0 },
                ],
              },
            ],
          });
          await send('input.releaseActions', { context: ctx });
          return;
        } catch (e) {
          if (attempt >= 3 || !String(e).includes('is not displayed')) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async screenshot(ctx = context) {
      const r = await send<{ data: string }>('browsingContext.captureScreenshot', { context: ctx });
      return Buffer.from(r.data, 'base64');
    },
    async close() {
      // Firefox gets two seconds to end the session; the wait is cleared when it answers sooner.
      let waiting: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([send('session.end'), new Promise((r) => (waiting = setTimeout(r, 2_000)))]);
      } catch {
        // Already gone.
      } finally {
        clearTimeout(waiting);
      }
      ws.close();
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
  return firefox;
}
