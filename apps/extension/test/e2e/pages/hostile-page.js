/* global window, document, navigator, XMLHttpRequest, Element, getSelection, innerWidth, innerHeight, PointerEvent, MouseEvent, KeyboardEvent, SubmitEvent -- a browser page script */
// A hostile page: what Gmail's or Salesforce's own JavaScript could do to an extension that draws into
// it. It runs first (a <script> at the top of <head>), before any content script, and:
// - forces every shadow root open and keeps it (Element.prototype.attachShadow),
// - records every request made through the page's fetch, XMLHttpRequest and sendBeacon,
// - wraps MutationObserver and watches the whole document (text, added nodes, attributes),
// - listens to every event at the window in capture phase and keeps the path it is shown,
// then, when the test calls window.__attack(), reads the DOM and the selection, dispatches synthetic
// clicks, pointer and key events wherever Baton draws, and tries to forge `isTrusted`.
// window.__attack() returns a JSON report of everything the page got; window.__untrusted() lists the
// untrusted events the page saw that it did not make itself.
(() => {
  // `untrusted`: events no person made and this page did not dispatch (a script elsewhere did: Baton
  // must never act on the page's own controls for the rep).
  const H = { roots: [], requests: [], seen: [], inside: [], hostEvents: 0, untrusted: [], attacking: false };
  const keep = (s) => {
    if (typeof s === 'string' && s.trim() !== '') H.seen.push(s);
  };

  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, Object.assign({}, init, { mode: 'open' }));
    H.roots.push(root);
    return root;
  };

  const realFetch = window.fetch;
  window.fetch = function (input, init) {
    H.requests.push(String(input && input.url ? input.url : input));
    return realFetch.call(this, input, init);
  };
  const realOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    H.requests.push(String(url));
    return realOpen.apply(this, arguments);
  };
  const realBeacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, data) => {
    H.requests.push(String(url));
    return realBeacon(url, data);
  };

  const RealMO = window.MutationObserver;
  const record = (records) => {
    for (const r of records) {
      keep(r.target.textContent);
      for (const n of r.addedNodes) keep(n.textContent);
      if (r.attributeName && r.target.getAttribute) keep(r.target.getAttribute(r.attributeName));
    }
  };
  window.MutationObserver = class extends RealMO {
    constructor(callback) {
      super((records, observer) => {
        record(records);
        callback(records, observer);
      });
    }
  };
  new window.MutationObserver(() => {}).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
  });

  const TYPES = [
    'click',
    'mousedown',
    'mouseup',
    'pointerdown',
    'pointerup',
    'keydown',
    'keyup',
    'input',
    'beforeinput',
    'focusin',
    'focusout',
    'submit',
    'change',
    'copy',
    'selectionchange',
  ];
  for (const type of TYPES) {
    window.addEventListener(
      type,
      (e) => {
        if (!e.isTrusted && !H.attacking) H.untrusted.push(`${type} on ${e.target && e.target.nodeName}`);
        const path = e.composedPath();
        const at = path.findIndex((n) => n && n.nodeName === 'BATON-OVERLAY');
        if (at >= 0) {
          H.hostEvents++;
          // Anything before the host in the path would be a node inside Baton's shadow root.
          for (const n of path.slice(0, at)) H.inside.push(n.nodeName || String(n));
        }
        if (e.target && e.target.textContent !== undefined) keep(e.target.textContent);
        if (e.clipboardData) keep(e.clipboardData.getData('text/plain'));
      },
      true,
    );
  }

  window.__untrusted = () => JSON.stringify(H.untrusted);

  window.__attack = () => {
    H.attacking = true;
    const host = document.querySelector('baton-overlay');
    const report = { hostFound: host !== null, shadowRootVisible: host ? host.shadowRoot !== null : null };
    keep(document.documentElement.outerHTML);
    keep(document.body.innerText);
    keep(String(getSelection()));
    for (const root of H.roots) keep(root.innerHTML);
    // Shadow roots anywhere in the document that the page can open.
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) keep(el.shadowRoot.innerHTML);

    // Synthetic input wherever the overlay draws (it is pinned to the bottom right of the window).
    let dispatched = 0;
    const hit = new Set();
    for (let x = innerWidth - 8; x > innerWidth - 460; x -= 12) {
      for (let y = innerHeight - 8; y > 0; y -= 12) {
        const el = document.elementFromPoint(x, y);
        if (el === null || (el !== host && !host?.contains(el))) continue;
        hit.add(el.nodeName);
        for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
          const Ctor = type.startsWith('pointer') ? PointerEvent : MouseEvent;
          el.dispatchEvent(new Ctor(type, { bubbles: true, composed: true, cancelable: true, clientX: x, clientY: y }));
          dispatched++;
        }
        el.click();
        dispatched++;
      }
    }
    report.pointsOnBaton = [...hit];
    if (host) {
      host.focus();
      for (const key of ['Enter', ' ', 'Escape', 'Tab']) {
        host.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
        host.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true }));
        dispatched += 2;
      }
      host.dispatchEvent(new SubmitEvent('submit', { bubbles: true, composed: true, cancelable: true }));
      dispatched++;
    }
    report.dispatched = dispatched;
    // `isTrusted` is an unforgeable own property of every event: redefining it must fail.
    try {
      const forged = new MouseEvent('click', { bubbles: true, composed: true });
      Object.defineProperty(forged, 'isTrusted', { value: true });
      host?.dispatchEvent(forged);
      report.forgedTrusted = forged.isTrusted === true;
    } catch (e) {
      report.forgedTrusted = false;
      report.forgeError = String(e);
    }
    report.rootsCaptured = H.roots.length;
    report.seen = H.seen;
    report.inside = H.inside;
    report.hostEvents = H.hostEvents;
    report.requests = H.requests;
    H.attacking = false;
    return JSON.stringify(report);
  };
})();
