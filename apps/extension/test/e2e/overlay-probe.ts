import type { CDPSession, Page } from 'playwright-core';
import { STEP_WAIT_MS } from './harness.ts';

/**
 * The test's way into the overlay's closed shadow root in Chromium. The page's JavaScript gets
 * `null` from `host.shadowRoot` and Playwright's selectors stop at a closed root too; the DevTools
 * protocol sees every root (`DOM.getDocument` with `pierce`). Reads run in a world of the test's own
 * (`Page.createIsolatedWorld`), so a hostile page's overridden globals cannot change what the test
 * sees. Clicks and typing are real input at the element's position (`page.mouse`, `page.keyboard`):
 * trusted events, as a rep's, and only if nothing of the page covers the element.
 */
export interface OverlayProbe {
  /** How many elements inside the overlay match `selector` (0 before the overlay is mounted). */
  count(selector: string): Promise<number>;
  /** The text of the first match, or null. */
  text(selector: string): Promise<string | null>;
  attr(selector: string, name: string): Promise<string | null>;
  /** Runs `fn` (a function source taking the element) on the first match in the test's own world. */
  call<T>(selector: string, fn: string): Promise<T>;
  /** Waits for a match (whose text contains `hasText`); on time-out, says what the overlay shows. */
  waitFor(selector: string, options?: { hasText?: string; timeout?: number }): Promise<void>;
  /** A trusted click in the middle of the first match, scrolled into view. */
  click(selector: string): Promise<void>;
  /** Clicks the field, selects what is in it and types `value` (trusted key events). */
  fill(selector: string, value: string): Promise<void>;
}

interface DomNode {
  nodeId: number;
  nodeName: string;
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

function findHost(node: DomNode): DomNode | null {
  if (node.nodeName === 'BATON-OVERLAY') return node;
  for (const c of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) {
    const hit = findHost(c);
    if (hit !== null) return hit;
  }
  return null;
}

export async function overlayProbe(page: Page): Promise<OverlayProbe> {
  const cdp: CDPSession = await page.context().newCDPSession(page);

  /** The node ids of the matches inside the overlay's shadow root (ids are valid until the DOM changes). */
  async function matches(selector: string): Promise<number[]> {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const shadow = findHost(root)?.shadowRoots?.[0];
    if (shadow === undefined) return [];
    const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: shadow.nodeId, selector });
    return nodeIds;
  }

  async function callOn<T>(nodeId: number, fn: string): Promise<T> {
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
      frameId: frameTree.frame.id,
      worldName: 'baton-e2e-probe',
    });
    const { object } = await cdp.send('DOM.resolveNode', { nodeId, executionContextId });
    const r = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId!,
      functionDeclaration: `function () { return (${fn})(this); }`,
      returnByValue: true,
      awaitPromise: true,
    });
    if (r.exceptionDetails !== undefined) throw new Error(`probe: ${r.exceptionDetails.text} in ${fn}`);
    return r.result.value as T;
  }

  /**
   * The answer of `fn` on the first match. The overlay redraws whole (a late answer, a dock): a node id
   * found just before a redraw is gone when it is read ("No node with given id"), so look again.
   */
  async function first<T>(selector: string, fn: string): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      const [id] = await matches(selector);
      if (id === undefined) return null;
      try {
        return await callOn<T>(id, fn);
      } catch (e) {
        if (attempt >= 5 || !/No node with given id/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  const probe: OverlayProbe = {
    count: async (selector) => (await matches(selector)).length,
    text: (selector) => first<string>(selector, '(el) => el.textContent'),
    attr: (selector, name) => first<string | null>(selector, `(el) => el.getAttribute(${JSON.stringify(name)})`),
    async call<T>(selector: string, fn: string): Promise<T> {
      const r = await first<T>(selector, fn);
      if (r === null) throw new Error(`probe: nothing in the overlay matches ${selector}`);
      return r;
    },
    async waitFor(selector, options = {}) {
      const until = Date.now() + (options.timeout ?? STEP_WAIT_MS);
      const want = options.hasText;
      const test = `(el) => ${want === undefined ? 'true' : `(el.textContent ?? '').includes(${JSON.stringify(want)})`}`;
      for (;;) {
        try {
          for (const id of await matches(selector)) if (await callOn<boolean>(id, test)) return;
        } catch {
          // The page navigated or redrew between the query and the read: look again.
        }
        if (Date.now() > until) {
          const shown = await first<string>('.baton', '(el) => el.textContent').catch(() => null);
          throw new Error(
            `gave up waiting for ${selector}${want === undefined ? '' : ` with "${want}"`}; the overlay shows: ${shown ?? '(no overlay)'}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async click(selector) {
      await probe.waitFor(selector);
      const box = await probe.call<{ x: number; y: number; w: number; h: number }>(
        selector,
        `(el) => { el.scrollIntoView({ block: 'nearest' }); const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; }`,
      );
      if (box.w === 0 || box.h === 0) throw new Error(`probe: ${selector} is not visible`);
      await page.mouse.click(box.x + box.w / 2, box.y + box.h / 2);
    },
    async fill(selector, value) {
      await probe.click(selector);
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Backspace');
      await page.keyboard.type(value);
    },
  };
  return probe;
}
