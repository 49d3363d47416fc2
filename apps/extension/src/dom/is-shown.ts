/**
 * Whether an element is on screen: not inside `display: none`, `visibility: hidden`, a `hidden`
 * attribute or `aria-hidden="true"`, across shadow boundaries. Gmail and Lightning keep earlier views
 * in the DOM and hide them; only the shown one is the thread or record the rep is looking at.
 */
export function isShown(el: Element): boolean {
  // The browser's own answer walks the flat tree (slots and shadow roots included).
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ visibilityProperty: true })) return false;
  const view = el.ownerDocument.defaultView;
  for (let n: Element | null = el; n !== null; n = parentOrHost(n)) {
    if (n.hasAttribute('hidden') || n.getAttribute('aria-hidden') === 'true') return false;
    const inline = (n as Partial<HTMLElement>).style;
    if (inline?.display === 'none' || inline?.visibility === 'hidden') return false;
    const style = view?.getComputedStyle(n);
    if (style !== undefined && (style.display === 'none' || style.visibility === 'hidden')) return false;
  }
  return true;
}

function parentOrHost(el: Element): Element | null {
  if (el.parentElement !== null) return el.parentElement;
  const root = el.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
