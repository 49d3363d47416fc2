import type { CaseView, LinkedPage } from '../messaging/protocol.ts';
import { chooseMessages } from '../case/log-entry.ts';
import type { ShadowOf } from '../dom/deep-query.ts';
import type { SendRequest } from '../messaging/send-request.ts';
import type { Extraction, InsertResult, PageContext, SiteAdapter } from '../sites/site-adapter.ts';
import type { CaseState, OverlayActions, OverlayState } from './overlay-state.ts';
import { renderPanel } from './render-panel.ts';

export interface OverlayControllerOptions {
  doc: Document;
  /** Where the panel is drawn: an element inside the overlay's shadow root. */
  mount: HTMLElement;
  adapter: SiteAdapter;
  send: SendRequest;
  url: () => URL;
  shadowOf?: ShadowOf;
  /** How long to wait for a late-rendering page (Lightning) before calling it unrecognised. */
  settleMs?: number;
  /** How long the page must stay unchanged after a navigation before it is read again. */
  quietMs?: number;
  copyText?: (text: string) => Promise<void>;
  /** Called when the panel has painted a state worth measuring (`first-paint`, `case-paint`). */
  onMark?: (mark: 'first-paint' | 'case-paint') => void;
  onClose?: () => void;
  /** The case shown (its key and SLA), for the launcher's badge; null when none is. */
  onCase?: (shown: { key: string; sla: CaseView['sla'] } | null) => void;
  /**
   * After the deterministic view is drawn, an optional on-device rewording of it (the built-in
   * Summarizer); whatever it returns is drawn in its place.
   */
  polishView?: (view: CaseView) => Promise<CaseView>;
  /** The side the panel is docked to, and the rep's wish to dock it to the other one. */
  dockSide?: () => 'left' | 'right';
  onDock?: () => void;
}

export interface OverlayController {
  open(): Promise<void>;
  close(): void;
  readonly isOpen: boolean;
  readonly state: OverlayState | null;
  /** The page changed under an open overlay (SPA navigation): read it again. */
  refresh(): Promise<void>;
}

/** Reads the page, waiting up to `settleMs` for it to render; pages change as they load. */
export function extractWhenReady(
  adapter: SiteAdapter,
  doc: Document,
  url: URL,
  shadowOf: ShadowOf | undefined,
  settleMs: number,
): Promise<Extraction> {
  const first = adapter.extract(doc, url, shadowOf);
  if (first.kind !== 'unrecognised' || settleMs <= 0 || typeof MutationObserver === 'undefined')
    return Promise.resolve(first);
  return new Promise((resolve) => {
    let last: Extraction = first;
    const finish = (): void => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(last);
    };
    const observer = new MutationObserver(() => {
      last = adapter.extract(doc, url, shadowOf);
      if (last.kind !== 'unrecognised') finish();
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true });
    const timer = setTimeout(finish, settleMs);
  });
}

/**
 * Resolves once the page has stopped changing for `quietMs` (or after `maxMs`). SPA navigations are
 * announced before the new view is drawn (the Navigation API fires first); reading at once would
 * read the previous thread.
 */
export function waitForQuiet(doc: Document, quietMs: number, maxMs: number): Promise<void> {
  if (typeof MutationObserver === 'undefined') return Promise.resolve();
  return new Promise((resolve) => {
    let quiet: ReturnType<typeof setTimeout>;
    const done = (): void => {
      observer.disconnect();
      clearTimeout(quiet);
      clearTimeout(cap);
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(quiet);
      quiet = setTimeout(done, quietMs);
    });
    observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
    quiet = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
  });
}

/** How long Insert waits for the rep to open the reply it asked for. */
const REPLY_WAIT_MS = 120_000;

/** The page as its remote link in Jira shows it (title cut to Jira's 255 characters). */
function linkedPage(page: PageContext): LinkedPage {
  return { url: page.entry.link, title: (page.title || page.pageId).slice(0, 255) };
}

/** What a focusable control is, independent of the element that draws it. */
function focusKey(el: Element): string {
  return ['data-action', 'data-role', 'data-index', 'data-key', 'name', 'value']
    .map((a) => el.getAttribute(a) ?? '')
    .join('|');
}

export function createOverlayController(o: OverlayControllerOptions): OverlayController {
  let state: OverlayState | null = null;
  let generation = 0;
  let marked = { first: false, case: false };

  const afterPaint = (fn: () => void): void => {
    const raf = o.doc.defaultView?.requestAnimationFrame?.bind(o.doc.defaultView);
    if (raf === undefined) return fn();
    raf(() => raf(fn));
  };

  // The panel is redrawn whole on every change: the focused control is found again by what it is, so
  // a keyboard user stays where they were; on opening, focus moves to the panel's title.
  let focusTitle = false;
  const draw = (): void => {
    const root = o.mount.getRootNode() as Document | ShadowRoot;
    const active = root.activeElement;
    const key = active !== null && o.mount.contains(active) ? focusKey(active) : null;
    // Sections the rep unfolded stay unfolded across the redraw.
    const unfolded = Array.from(o.mount.querySelectorAll('details[open]'), (d) => d.getAttribute('data-role'));
    o.mount.replaceChildren();
    if (state === null) return;
    o.mount.append(renderPanel(o.doc, state, actions, o.adapter.insertDraft !== undefined, o.dockSide?.()));
    for (const role of unfolded) o.mount.querySelector(`details[data-role="${role ?? ''}"]`)?.setAttribute('open', '');
    const again =
      key === null ? null : Array.from(o.mount.querySelectorAll<HTMLElement>('*')).find((el) => focusKey(el) === key);
    if (again !== undefined && again !== null) again.focus();
    // Opening, or the focused control went away (Log to Jira… became the preview): the title, so focus
    // stays in the dialog (Escape still reaches it) instead of falling to the page.
    else if (focusTitle || key !== null) o.mount.querySelector<HTMLElement>('[data-role="title"]')?.focus();
    focusTitle = false;
    if (!marked.first) {
      marked.first = true;
      afterPaint(() => o.onMark?.('first-paint'));
    }
    if (!marked.case && state.view === 'case' && state.caseView !== null) {
      marked.case = true;
      afterPaint(() => o.onMark?.('case-paint'));
    }
  };
  const set = (next: OverlayState): void => {
    state = next;
    draw();
    o.onCase?.(
      next.view === 'case' && next.caseView !== null ? { key: next.caseView.case.key, sla: next.caseView.sla } : null,
    );
  };
  const patchCase = (gen: number, patch: Partial<CaseState>): void => {
    if (gen !== generation || state?.view !== 'case') return;
    set({ ...state, ...patch });
  };

  const emptyCase = (): Omit<CaseState, 'page' | 'find' | 'selected'> => ({
    view: 'case',
    caseView: null,
    caseError: null,
    notice: null,
    noticeLink: null,
    log: null,
    busy: false,
    audience: o.adapter.audience,
    draftText: null,
    acts: null,
    creating: false,
  });

  async function loadCase(gen: number, key: string): Promise<void> {
    patchCase(gen, { selected: key, caseView: null, caseError: null, log: null, draftText: null, acts: null });
    const audience = state?.view === 'case' ? state.audience : o.adapter.audience;
    const r = await o.send({ type: 'case.view', key, audience });
    if (r.ok) {
      patchCase(gen, { caseView: r.data });
      if (o.polishView !== undefined) {
        const polished = await o.polishView(r.data);
        if (polished !== r.data && state?.view === 'case' && state.caseView === r.data)
          patchCase(gen, { caseView: polished });
      }
    } else patchCase(gen, { caseError: r.error });
  }

  async function load(): Promise<void> {
    stopWaiting();
    const gen = ++generation;
    marked = { first: marked.first, case: false };
    set({ view: 'loading', message: 'Reading the page…' });
    let x: Extraction;
    try {
      x = await extractWhenReady(o.adapter, o.doc, o.url(), o.shadowOf, o.settleMs ?? 3000);
    } catch (e) {
      // A page the adapter cannot walk (a browser quirk, a redesign) must fail visibly, not hang on "Reading…".
      if (gen !== generation) return;
      return set({
        view: 'unrecognised',
        message: `Baton could not read this page (${e instanceof Error ? e.message : String(e)}).`,
        siteUrl: null,
      });
    }
    if (gen !== generation) return;
    if (x.kind === 'elsewhere') return set({ view: 'elsewhere', message: x.message });
    if (x.kind === 'unrecognised') {
      const ping = await o.send({ type: 'jira.ping' });
      if (gen !== generation) return;
      return set({ view: 'unrecognised', message: x.message, siteUrl: ping.ok ? ping.data.siteUrl : null });
    }
    const page = x.context;
    set({ view: 'loading', message: 'Looking for the Jira case…' });
    const found = await o.send({
      type: 'cases.find',
      pageId: page.pageId,
      keys: [...page.keys],
      text: page.searchText,
      page: linkedPage(page),
    });
    if (gen !== generation) return;
    if (!found.ok) return set({ view: 'error', error: found.error });
    const f = found.data;
    const byKey = page.keys.find((k) => f.candidates.some((c) => c.key === k));
    const selected = f.linked ?? byKey ?? (f.candidates.length === 1 ? f.candidates[0]!.key : null);
    set({ ...emptyCase(), page, find: f, selected });
    if (selected !== null) await loadCase(gen, selected);
  }

  async function choose(key: string): Promise<void> {
    if (state?.view === 'unrecognised') {
      set({ ...emptyCase(), page: null, find: null, selected: key });
      return loadCase(generation, key);
    }
    if (state?.view !== 'case') return;
    const gen = generation;
    if (state.page !== null) {
      const r = await o.send({ type: 'link.set', pageId: state.page.pageId, key, page: linkedPage(state.page) });
      if (!r.ok) return patchCase(gen, { caseError: r.error });
      patchCase(gen, {
        notice: r.data.shared
          ? `Linked to ${key} for everyone (a remote link in Jira).`
          : `Linked to ${key} on this device only: ${r.data.note ?? 'Jira did not take a remote link.'}`,
        noticeLink: null,
      });
    }
    await loadCase(gen, key);
  }

  const copy = o.copyText ?? ((text: string) => navigator.clipboard.writeText(text));
  /** Ends a wait for the reply the rep was asked to open (another Insert, a new page, closing). */
  let stopWaiting = (): void => {};

  const actions: OverlayActions = {
    close: () => controller.close(),
    retry: () => void load(),
    pick: (key) => void choose(key),
    manual: (key) => void choose(key),
    unlink: () => {
      if (state?.view !== 'case' || state.page === null) return;
      const gen = generation;
      void o
        .send({ type: 'link.set', pageId: state.page.pageId, key: null, page: linkedPage(state.page) })
        .then((r) => {
          if (r.ok)
            patchCase(gen, { selected: null, caseView: null, notice: 'Unlinked.', noticeLink: null, log: null });
        });
    },
    insert: (text) => {
      stopWaiting();
      const gen = generation;
      const tryInsert = (): InsertResult => {
        const r = o.adapter.insertDraft?.(o.doc, text) ?? { ok: false, message: 'This page has no reply box.' };
        if (r.ok)
          patchCase(gen, {
            notice: `Draft inserted into your ${r.into ?? 'reply'}. Baton never sends: review it and send it yourself.`,
            noticeLink: null,
          });
        return r;
      };
      const first = tryInsert();
      if (first.ok) return;
      patchCase(gen, { notice: `${first.message}${first.later === true ? '' : ' (or Copy)'}`, noticeLink: null });
      // Nothing to write into until the rep opens it (Gmail's Reply): watch for it, for a while.
      if (first.later !== true || typeof MutationObserver === 'undefined') return;
      const observer = new MutationObserver(() => {
        if (gen !== generation || tryInsert().ok) stopWaiting();
      });
      observer.observe(o.doc.documentElement, { childList: true, subtree: true });
      const timer = setTimeout(() => {
        stopWaiting();
        patchCase(gen, { notice: 'No reply was opened: open one, then Insert again (or Copy).', noticeLink: null });
      }, REPLY_WAIT_MS);
      stopWaiting = () => {
        observer.disconnect();
        clearTimeout(timer);
        stopWaiting = () => {};
      };
    },
    copy: (text) => {
      const gen = generation;
      copy(text).then(
        () => patchCase(gen, { notice: 'Draft copied.', noticeLink: null }),
        () =>
          patchCase(gen, {
            notice: 'The browser did not allow copying; select the draft text and copy it by hand.',
            noticeLink: null,
          }),
      );
    },
    logStart: () => {
      if (state?.view !== 'case' || state.page === null) return;
      const entry = state.page.entry;
      const latest = entry.kind === 'email' ? [entry.messages.length - 1] : [];
      set({ ...state, log: { chosen: latest, visibility: 'internal' }, notice: null, noticeLink: null });
    },
    logToggle: (index) => {
      if (state?.view !== 'case' || state.log === null) return;
      const { chosen } = state.log;
      const next = chosen.includes(index)
        ? chosen.filter((i) => i !== index)
        : [...chosen, index].sort((a, b) => a - b);
      set({ ...state, log: { ...state.log, chosen: next } });
    },
    logVisibility: (visibility) => {
      if (state?.view !== 'case' || state.log === null) return;
      set({ ...state, log: { ...state.log, visibility } });
    },
    logCancel: () => {
      if (state?.view === 'case') set({ ...state, log: null });
    },
    logConfirm: () => {
      if (state?.view !== 'case' || state.page === null || state.selected === null || state.busy || state.log === null)
        return;
      const entry = chooseMessages(state.page.entry, state.log.chosen);
      if (entry === null) return;
      const gen = generation;
      const key = state.selected;
      const visibility = state.log.visibility;
      set({ ...state, busy: true });
      void o.send({ type: 'jira.log', key, entry, visibility }).then((r) => {
        if (r.ok)
          patchCase(gen, {
            busy: false,
            log: null,
            notice: `Logged to ${key} as ${visibility === 'internal' ? 'an internal note' : 'a public comment'}.`,
            noticeLink: r.data.url,
            caseError: null,
          });
        else patchCase(gen, { busy: false, caseError: r.error });
      });
    },
    openOptions: () => void o.send({ type: 'options.open' }),
    dock: () => {
      o.onDock?.();
      draw();
    },
    pickAudience: (audience) => {
      if (state?.view !== 'case' || state.audience === audience) return;
      set({ ...state, audience });
      if (state.selected !== null) void loadCase(generation, state.selected);
    },
    editDraft: (text) => {
      if (state?.view === 'case') state = { ...state, draftText: text };
    },
    search: (query) => {
      if (state?.view !== 'case') return;
      const gen = generation;
      const siteUrl = state.find?.siteUrl ?? '';
      void o.send({ type: 'jira.search', query }).then((r) => {
        if (!r.ok) return patchCase(gen, { caseError: r.error });
        const n = r.data.candidates.length;
        patchCase(gen, {
          find: { linked: state?.view === 'case' ? (state.find?.linked ?? null) : null, siteUrl, ...r.data },
          caseError: null,
          notice: n === 0 ? 'Jira found nothing for that.' : `Jira found ${n} issue${n === 1 ? '' : 's'}: pick one.`,
          noticeLink: null,
        });
      });
    },
    createStart: () => {
      if (state?.view === 'case') set({ ...state, creating: true, notice: null, noticeLink: null });
    },
    createCancel: () => {
      if (state?.view === 'case') set({ ...state, creating: false });
    },
    create: (issue) => {
      if (state?.view !== 'case' || state.page === null || state.busy) return;
      const gen = generation;
      const page = state.page;
      set({ ...state, busy: true });
      void o
        .send({ type: 'jira.create', ...issue, pageId: page.pageId, page: linkedPage(page), entry: page.entry })
        .then(async (r) => {
          if (!r.ok) return patchCase(gen, { busy: false, caseError: r.error });
          patchCase(gen, {
            busy: false,
            creating: false,
            caseError: null,
            notice: `Created ${r.data.key}, with this ${page.entry.kind === 'email' ? 'email' : 'record'} as an internal note${r.data.linked ? ', and linked it for everyone' : ''}.`,
            noticeLink: null,
          });
          await loadCase(gen, r.data.key);
        });
    },
    actsStart: () => {
      if (state?.view !== 'case' || state.selected === null) return;
      const gen = generation;
      void o.send({ type: 'jira.options', key: state.selected }).then((r) => {
        if (r.ok) patchCase(gen, { acts: r.data, caseError: null });
        else patchCase(gen, { caseError: r.error });
      });
    },
    transition: (id) => act({ type: 'jira.transition', key: '', transitionId: id }, 'Status changed'),
    assign: (accountId) =>
      act({ type: 'jira.assign', key: '', accountId }, accountId === null ? 'Unassigned' : 'Assigned'),
  };

  /** A change to the linked issue, then the case read again so the panel shows Jira's new state. */
  function act(
    req:
      | { type: 'jira.transition'; key: string; transitionId: string }
      | { type: 'jira.assign'; key: string; accountId: string | null },
    done: string,
  ): void {
    if (state?.view !== 'case' || state.selected === null || state.busy) return;
    const gen = generation;
    const key = state.selected;
    set({ ...state, busy: true });
    void o.send({ ...req, key }).then(async (r) => {
      if (!r.ok) return patchCase(gen, { busy: false, caseError: r.error });
      patchCase(gen, { busy: false, notice: `${done}: ${key}.`, noticeLink: null, caseError: null });
      await loadCase(gen, key);
    });
  }

  // While open, a page that turns into another thread or record (late SPA rendering) is read again.
  let watcher: MutationObserver | null = null;
  let watchTimer: ReturnType<typeof setTimeout> | undefined;
  const pageKey = (x: Extraction): string => (x.kind === 'page' ? `page:${x.context.pageId}` : x.kind);
  const currentKey = (): string | null => {
    if (state === null || state.view === 'loading') return null;
    if (state.view === 'case') return state.page === null ? null : `page:${state.page.pageId}`;
    return state.view === 'error' ? null : state.view;
  };
  const watch = (): void => {
    if (watcher !== null || typeof MutationObserver === 'undefined') return;
    watcher = new MutationObserver(() => {
      clearTimeout(watchTimer);
      watchTimer = setTimeout(() => {
        const shown = currentKey();
        if (shown === null) return;
        if (pageKey(o.adapter.extract(o.doc, o.url(), o.shadowOf)) !== shown) void load();
      }, o.quietMs ?? 250);
    });
    watcher.observe(o.doc.documentElement, { childList: true, subtree: true });
  };
  const unwatch = (): void => {
    watcher?.disconnect();
    watcher = null;
    clearTimeout(watchTimer);
  };

  const controller: OverlayController = {
    get isOpen() {
      return state !== null;
    },
    get state() {
      return state;
    },
    open: async () => {
      if (state !== null) return;
      focusTitle = true;
      watch();
      await load();
    },
    close: () => {
      stopWaiting();
      unwatch();
      generation++;
      state = null;
      draw();
      o.onClose?.();
    },
    refresh: async () => {
      if (state === null) return;
      const gen = ++generation;
      set({ view: 'loading', message: 'Reading the page…' });
      await waitForQuiet(o.doc, o.quietMs ?? 250, o.settleMs ?? 3000);
      if (gen === generation && state !== null) await load();
    },
  };
  return controller;
}
