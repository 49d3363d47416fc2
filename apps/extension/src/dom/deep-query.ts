/**
 * Queries that see through shadow roots. Lightning renders record fields inside web components,
 * some with native shadow roots; `querySelectorAll` on the document stops at each boundary.
 * `shadowOf` lets the caller reach closed roots where the browser allows it (Chrome's
 * `chrome.dom.openOrClosedShadowRoot`, Firefox's `element.openOrClosedShadowRoot` property).
 */
export type ShadowOf = (el: Element) => ShadowRoot | null;

export const openShadowOf: ShadowOf = (el) => el.shadowRoot;

/** Every element under `root` (its own shadow tree first, then light and nested shadow trees) that matches `selector`. */
export function deepQueryAll(
  root: ParentNode,
  selector: string,
  shadowOf: ShadowOf = openShadowOf,
  limit = 500,
): Element[] {
  const out: Element[] = [];
  const visit = (node: ParentNode): void => {
    for (const el of Array.from(node.children)) {
      if (out.length >= limit) return;
      if (el.matches(selector)) out.push(el);
      const sr = shadowOf(el);
      if (sr !== null) visit(sr);
      if (el.tagName === 'TEMPLATE') continue;
      visit(el);
    }
  };
  // A host's own shadow tree is part of what it shows.
  const own = root instanceof Element ? shadowOf(root) : null;
  if (own !== null) visit(own);
  visit(root);
  return out;
}

export function deepQuery(root: ParentNode, selector: string, shadowOf: ShadowOf = openShadowOf): Element | null {
  return deepQueryAll(root, selector, shadowOf, 1)[0] ?? null;
}

/** The first selector of a fallback list that matches; lists run from most to least stable. */
export function deepQueryFirst(
  root: ParentNode,
  selectors: readonly string[],
  shadowOf: ShadowOf = openShadowOf,
): Element | null {
  for (const s of selectors) {
    const hit = deepQuery(root, s, shadowOf);
    if (hit !== null) return hit;
  }
  return null;
}

const SKIP = new Set(['STYLE', 'SCRIPT', 'TEMPLATE', 'NOSCRIPT']);

/** The text a person sees in an element, shadow content included, whitespace collapsed. */
export function deepText(node: Node, shadowOf: ShadowOf = openShadowOf): string {
  return rawText(node, shadowOf)
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function rawText(node: Node, shadowOf: ShadowOf): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  const el = node as Element;
  if (node.nodeType === 1) {
    if (SKIP.has(el.tagName)) return '';
    if (el.tagName === 'BR') return '\n';
    if (el.tagName === 'SLOT') {
      const assigned =
        typeof (el as HTMLSlotElement).assignedNodes === 'function'
          ? (el as HTMLSlotElement).assignedNodes({ flatten: true })
          : [];
      const nodes = assigned.length > 0 ? assigned : Array.from(el.childNodes);
      return nodes.map((n) => rawText(n, shadowOf)).join('');
    }
    const sr = shadowOf(el);
    if (sr !== null)
      return Array.from(sr.childNodes)
        .map((n) => rawText(n, shadowOf))
        .join('');
  }
  const block = node.nodeType === 1 && /^(DIV|P|LI|TR|H[1-6]|BLOCKQUOTE|SECTION|ARTICLE)$/.test(el.tagName);
  const inner = Array.from(node.childNodes)
    .map((n) => rawText(n, shadowOf))
    .join('');
  return block ? `\n${inner}\n` : inner;
}
