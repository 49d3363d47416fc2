import { findJiraKeys } from '../../case/jira-keys.ts';
import { deepQueryAll, deepQueryFirst, deepText, openShadowOf } from '../../dom/deep-query.ts';
import { isShown } from '../../dom/is-shown.ts';
import type { ShadowOf } from '../../dom/deep-query.ts';
import type { Extraction, InsertResult, SiteAdapter } from '../site-adapter.ts';
import { RECORD_ROUTE, salesforceSelectors as S } from './selectors.ts';

/** The record's key facts are the first fields of the layout; a record page can hold hundreds. */
export const MAX_FIELDS = 30;

export function salesforceRecord(url: URL): { object: string; id: string } | null {
  const m = RECORD_ROUTE.exec(url.pathname);
  return m === null ? null : { object: m[1] as string, id: m[2] as string };
}

function valueOf(item: Element, shadowOf: ShadowOf): string {
  const el = deepQueryFirst(item, S.fieldValue, shadowOf);
  return el === null ? '' : deepText(el, shadowOf);
}

/**
 * Where the record on screen lives. Lightning keeps earlier pages (Account "Acme" before Opportunity
 * "Globex") in the DOM, hidden: reading the whole document would read them too. The scope is the
 * innermost page slot that holds record content, is shown, and is marked active when any is; a page
 * with no slots at all (a layout Baton does not know) is read whole. null: slots, none shown.
 */
export function recordOnScreen(doc: Document, shadowOf: ShadowOf): Element | null {
  const root = doc.body ?? doc.documentElement;
  const slots = deepQueryAll(root, S.pageSlot.join(', '), shadowOf).filter(
    (slot) => deepQueryFirst(slot, S.recordContent, shadowOf) !== null,
  );
  if (slots.length === 0) return root;
  // Shown, with record content that is shown too (a console tab may hold only hidden pages).
  const shown = slots.filter(
    (slot) => isShown(slot) && deepQueryAll(slot, S.recordContent.join(', '), shadowOf).some(isShown),
  );
  const active = shown.filter((slot) => slot.classList.contains('active'));
  const pool = active.length > 0 ? active : shown;
  // A console tab holds a page: the innermost slot is the page itself.
  const innermost = pool.filter((slot) => !pool.some((other) => other !== slot && contains(slot, other)));
  return innermost.at(-1) ?? null;
}

function contains(outer: Element, inner: Element): boolean {
  for (let n: Node | null = inner; n !== null; n = n.parentNode ?? (n instanceof ShadowRoot ? n.host : null))
    if (n === outer) return true;
  return false;
}

/**
 * The text field the rep was last in (a Log a Call comment, an email body): where Insert writes.
 * Tracked from `focusin`, so it is the field the rep chose, never one Baton picks; `composedPath`
 * reaches fields inside open shadow roots.
 */
let lastField: HTMLElement | null = null;
const isTextField = (el: unknown): el is HTMLElement =>
  el instanceof HTMLTextAreaElement ||
  (el instanceof HTMLInputElement && /^(text|search|)$/.test(el.type)) ||
  (el instanceof HTMLElement && el.isContentEditable);

/** Starts tracking the rep's text field (the content script calls it once). */
export function trackFields(doc: Document): void {
  doc.addEventListener(
    'focusin',
    (e) => {
      const target = e.composedPath()[0];
      if (e.isTrusted && isTextField(target) && target.closest('baton-overlay') === null) lastField = target;
    },
    true,
  );
}

export const salesforceAdapter: SiteAdapter = {
  site: 'salesforce',
  audience: 'internal',

  insertDraft(doc, text): InsertResult {
    const field = lastField;
    if (field === null || !field.isConnected || !isShown(field))
      return { ok: false, message: 'Click into the Salesforce field to write in (a comment, an email), then Insert.' };
    field.focus();
    // insertText keeps Lightning's own input handling and undo; it is plain text by definition.
    if (!(doc.queryCommandSupported?.('insertText') && doc.execCommand('insertText', false, text)))
      return { ok: false, message: 'This field does not take inserted text: use Copy.' };
    return { ok: true, into: 'field' };
  },
  isCasePage: (url) => salesforceRecord(url) !== null,

  extract(doc, url, shadowOf = openShadowOf): Extraction {
    const record = salesforceRecord(url);
    if (record === null)
      return {
        kind: 'elsewhere',
        message: 'Open a Salesforce record (Account, Opportunity, Case…) to see its Jira case.',
      };
    const root = recordOnScreen(doc, shadowOf);
    if (root === null)
      return {
        kind: 'unrecognised',
        message: `Baton finds no ${record.object} shown on this page (every record page in it is hidden); Lightning may still be loading.`,
      };
    const fields: { label: string; value: string }[] = [];
    for (const item of deepQueryAll(root, S.layoutItem[0], shadowOf)) {
      const label = (item.getAttribute('field-label') ?? '').trim();
      const value = valueOf(item, shadowOf);
      if (label !== '' && value !== '' && !fields.some((f) => f.label === label)) fields.push({ label, value });
    }
    for (const item of deepQueryAll(root, S.highlightsItem[0], shadowOf)) {
      const labelEl = deepQueryFirst(item, S.highlightsLabel, shadowOf);
      const label = labelEl === null ? '' : (labelEl.getAttribute('title') ?? deepText(labelEl, shadowOf));
      const value = valueOf(item, shadowOf);
      if (label !== '' && value !== '' && !fields.some((f) => f.label === label)) fields.push({ label, value });
    }
    const nameEl = deepQueryFirst(root, S.recordName, shadowOf);
    const name =
      nameEl === null ? (fields.find((f) => /name$/i.test(f.label))?.value ?? '') : deepText(nameEl, shadowOf);
    if (name === '' && fields.length === 0) {
      return {
        kind: 'unrecognised',
        message: `Baton does not recognise this ${record.object} page's structure (no record name or fields found); Lightning may have changed or is still loading.`,
      };
    }
    const entityEl = deepQueryFirst(root, S.entityLabel, shadowOf);
    const object = entityEl === null ? record.object : deepText(entityEl, shadowOf) || record.object;
    const keyFacts = fields.slice(0, MAX_FIELDS);
    return {
      kind: 'page',
      context: {
        site: 'salesforce',
        pageId: `salesforce:${record.id}`,
        title: name === '' ? `${object} ${record.id}` : name,
        keys: findJiraKeys([name, ...fields.map((f) => f.value)].join('\n')),
        searchText: name,
        entry: {
          kind: 'record',
          object,
          recordId: record.id,
          name: name === '' ? record.id : name,
          fields: keyFacts,
          link: url.href,
        },
      },
    };
  },
};
