import { safeHref } from '../case/log-entry.ts';

// The overlay's only way to make DOM: elements, attributes and text nodes. Page and Jira text always
// ends up in a text node, so markup inside an email or a ticket stays visible as characters.
// Handlers run for trusted events only (a person's click or key, or the browser acting on one): the
// page shares the DOM with the overlay, and an event it dispatches must not post a comment or insert
// a draft in the rep's name. A real browser's `isTrusted` cannot be forged (it is unforgeable).

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | undefined>;
  on?: Partial<Record<'click' | 'submit' | 'input' | 'change' | 'keydown', (e: Event) => void>>;
  /** A link target; anything but http(s) is dropped. */
  href?: string;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = doc.createElement(tag);
  if (props.class !== undefined) el.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) if (value !== undefined) el.setAttribute(name, value);
  if (props.href !== undefined) {
    const href = safeHref(props.href);
    if (href !== undefined) {
      el.setAttribute('href', href);
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
  }
  for (const [event, handler] of Object.entries(props.on ?? {}))
    el.addEventListener(event, (e) => {
      if (e.isTrusted) handler(e);
    });
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
  }
  return el;
}
