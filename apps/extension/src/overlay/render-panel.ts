import { AUDIENCES } from '../messaging/protocol.ts';
import type { Audience, CaseView, LogEntry, Wording } from '../messaging/protocol.ts';
import { chooseMessages, logEntryText } from '../case/log-entry.ts';
import { dueText } from './due-text.ts';
import { h } from './h.ts';
import type { CaseState, JiraOptions, LogChoice, OverlayActions, OverlayState } from './overlay-state.ts';

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;

const AUDIENCE_WORDS: Record<Audience, string> = {
  customer: 'the customer',
  internal: 'the internal team',
  executive: 'an executive',
};
const AUDIENCE_BUTTONS: Record<Audience, string> = {
  customer: 'Customer',
  internal: 'Internal',
  executive: 'Executive',
};

/** Draws one state of the panel. Pure DOM construction: no innerHTML anywhere. */
export function renderPanel(
  doc: Document,
  state: OverlayState,
  act: OverlayActions,
  canInsert: boolean,
  side?: 'left' | 'right',
): HTMLElement {
  const body = h(doc, 'div', { class: 'body', attrs: { 'data-view': state.view } });
  const header = h(
    doc,
    'header',
    {},
    h(doc, 'h2', { attrs: { id: 'baton-title', tabindex: '-1', 'data-role': 'title' } }, 'Baton'),
    side === undefined
      ? null
      : h(
          doc,
          'button',
          {
            class: 'close',
            attrs: {
              'data-action': 'dock',
              'aria-label': side === 'right' ? 'Dock Baton to the left' : 'Dock Baton to the right',
              title: side === 'right' ? 'Dock to the left' : 'Dock to the right',
            },
            on: { click: () => act.dock() },
          },
          side === 'right' ? '⇤' : '⇥',
        ),
    h(
      doc,
      'button',
      {
        class: 'close',
        attrs: { 'aria-label': 'Minimise Baton (Esc)', title: 'Minimise (Esc)', 'data-action': 'minimise' },
        on: { click: () => act.close() },
      },
      '–',
    ),
  );
  switch (state.view) {
    case 'loading':
      body.append(h(doc, 'p', { class: 'muted', attrs: { role: 'status' } }, state.message));
      break;
    case 'elsewhere':
      body.append(h(doc, 'p', { class: 'muted' }, state.message));
      break;
    case 'unrecognised':
      body.append(
        h(doc, 'p', { class: 'error', attrs: { role: 'alert' } }, state.message),
        h(doc, 'p', {}, 'You can still link the Jira issue by hand:'),
        manualForm(doc, act),
      );
      if (state.siteUrl !== null) body.append(h(doc, 'p', {}, h(doc, 'a', { href: state.siteUrl }, 'Open Jira')));
      break;
    case 'error':
      body.append(
        h(doc, 'p', { class: 'error', attrs: { role: 'alert', 'data-code': state.error.code } }, state.error.message),
        errorActions(doc, state.error.code, act),
      );
      break;
    case 'case':
      body.append(...caseBody(doc, state, act, canInsert));
      break;
  }
  return h(
    doc,
    'div',
    {
      class: 'panel',
      attrs: { role: 'dialog', 'aria-labelledby': 'baton-title' },
      on: {
        keydown: (e) => {
          if ((e as KeyboardEvent).key === 'Escape') act.close();
        },
      },
    },
    header,
    body,
  );
}

function errorActions(doc: Document, code: string, act: OverlayActions): HTMLElement {
  const row = h(doc, 'div', { class: 'row' });
  if (code === 'not-configured' || code === 'no-permission')
    row.append(h(doc, 'button', { class: 'primary', on: { click: () => act.openOptions() } }, 'Open Baton options'));
  row.append(h(doc, 'button', { on: { click: () => act.retry() } }, 'Try again'));
  return row;
}

function manualForm(doc: Document, act: OverlayActions): HTMLElement {
  const input = h(doc, 'input', {
    attrs: {
      name: 'issue-key',
      placeholder: 'Issue key, e.g. SUP-12',
      'aria-label': 'Jira issue key',
      autocomplete: 'off',
    },
  });
  return h(
    doc,
    'form',
    {
      attrs: { 'data-role': 'manual-link' },
      on: {
        submit: (e) => {
          e.preventDefault();
          const key = input.value.trim().toUpperCase();
          if (ISSUE_KEY.test(key)) act.manual(key);
          else input.setCustomValidity('Type an issue key like SUP-12');
        },
      },
    },
    input,
    h(doc, 'button', { attrs: { type: 'submit' } }, 'Link'),
  );
}

function caseBody(doc: Document, s: CaseState, act: OverlayActions, canInsert: boolean): Node[] {
  const out: Node[] = [];
  if (s.page !== null) out.push(h(doc, 'p', { class: 'muted', attrs: { 'data-role': 'page-title' } }, s.page.title));
  const candidates = s.find?.candidates ?? [];
  // Once a case is linked, choosing another folds away: the case and its draft come first.
  const pick: Node[] = [];
  pick.push(h(doc, 'h3', {}, s.selected === null ? 'Which Jira case?' : 'Linked Jira case'));
  if (candidates.length === 0 && s.selected === null)
    pick.push(h(doc, 'p', { class: 'muted' }, 'No Jira issue mentions this page, and a search found nothing.'));
  if (candidates.length > 0) {
    pick.push(
      h(
        doc,
        'ul',
        { class: 'candidates' },
        ...candidates.map((c) =>
          h(
            doc,
            'li',
            {},
            h(
              doc,
              'button',
              {
                class: 'candidate',
                attrs: { 'data-key': c.key, 'aria-current': String(c.key === s.selected) },
                on: { click: () => act.pick(c.key) },
              },
              c.key,
            ),
            h(doc, 'span', {}, c.summary),
            h(doc, 'span', { class: 'muted' }, `· ${c.status}`),
          ),
        ),
      ),
    );
  }
  pick.push(manualForm(doc, act), searchForm(doc, act));
  if (s.page !== null)
    pick.push(
      s.creating
        ? createForm(doc, s, act)
        : h(
            doc,
            'div',
            { class: 'row' },
            h(
              doc,
              'button',
              { attrs: { 'data-action': 'create-start' }, on: { click: () => act.createStart() } },
              'Create a Jira issue…',
            ),
          ),
    );
  if (s.selected !== null && s.page !== null)
    pick.push(h(doc, 'div', { class: 'row' }, h(doc, 'button', { on: { click: () => act.unlink() } }, 'Unlink')));
  if (s.selected === null) out.push(...pick);
  else
    out.push(
      h(
        doc,
        'details',
        { attrs: { 'data-role': 'change-case', ...(s.creating ? { open: '' } : {}) } },
        h(doc, 'summary', {}, 'Change the linked case'),
        ...pick,
      ),
    );
  if (s.notice !== null) {
    out.push(
      h(
        doc,
        'p',
        { class: 'notice', attrs: { role: 'status' } },
        s.notice,
        s.noticeLink === null ? null : ' ',
        s.noticeLink === null ? null : h(doc, 'a', { href: s.noticeLink }, 'Open in Jira'),
      ),
    );
  }
  if (s.caseError !== null)
    out.push(
      h(doc, 'p', { class: 'error', attrs: { role: 'alert', 'data-code': s.caseError.code } }, s.caseError.message),
    );
  if (s.selected !== null && s.caseView === null && s.caseError === null)
    out.push(h(doc, 'p', { class: 'muted', attrs: { role: 'status' } }, `Loading ${s.selected}…`));
  if (s.caseView !== null) out.push(...caseView(doc, s, s.caseView, act, canInsert));
  return out;
}

/** Says who worded a text when the rep's own model was asked: the model, or the rules and why. */
function wordingNote(doc: Document, role: string, w: Wording | undefined): HTMLElement | null {
  if (w === undefined) return null;
  const text =
    w.by === 'pending'
      ? 'Your model is rewording this…'
      : w.by === 'model'
        ? `Worded by your model (${w.model}); the facts come from the rules.`
        : w.reason;
  return h(doc, 'p', { class: 'muted', attrs: { 'data-role': role, 'data-by': w.by } }, text);
}

const now = (): Date => new Date();

/** The SLA as the rep reads it: state and goal, and the due time relative and in the rep's own zone. */
function slaText(sla: NonNullable<CaseView['sla']>, at: Date): string {
  const words = sla.label.replace(/ · due \S+$/, '');
  return sla.dueAt === null ? words : `${words} · ${dueText(new Date(sla.dueAt), at)}`;
}

function list(doc: Document, items: readonly string[], empty: string): HTMLElement {
  if (items.length === 0) return h(doc, 'p', { class: 'muted' }, empty);
  return h(doc, 'ul', {}, ...items.map((i) => h(doc, 'li', {}, i)));
}

function caseView(doc: Document, s: CaseState, v: CaseView, act: OverlayActions, canInsert: boolean): Node[] {
  const p = v.packet;
  const draft = v.drafts[0];
  // The case in two lines, then the draft and its Insert (the rep's primary action, above the fold),
  // then the packet, which the rep can fold away.
  const head = h(
    doc,
    'section',
    { attrs: { 'data-role': 'case-head' } },
    h(doc, 'p', {}, h(doc, 'a', { href: v.case.url }, v.case.key), ` ${v.case.summary}`),
    h(
      doc,
      'p',
      {},
      `${v.case.status} · ${v.case.assignee ?? 'unassigned'} `,
      v.sla === null
        ? h(doc, 'span', { class: 'sla sla-none', attrs: { 'data-role': 'sla' } }, 'No SLA state from the Jira app yet')
        : h(
            doc,
            'span',
            { class: `sla sla-${v.sla.state}`, attrs: { 'data-role': 'sla', 'data-state': v.sla.state } },
            slaText(v.sla, now()),
          ),
    ),
  );
  const packet = h(
    doc,
    'details',
    { attrs: { 'data-role': 'packet', 'data-key': v.case.key, open: '' } },
    h(doc, 'summary', {}, 'Handoff packet'),
    h(doc, 'h3', {}, 'Summary'),
    h(doc, 'p', {}, p.summary),
    wordingNote(doc, 'summary-wording', p.summaryWording),
    p.summaryBy === 'browser-model'
      ? h(
          doc,
          'p',
          { class: 'muted', attrs: { 'data-role': 'summary-by' } },
          "Summary worded on this device by the browser's built-in model.",
        )
      : null,
    p.source === 'browser'
      ? h(
          doc,
          'p',
          { class: 'muted' },
          'The Jira app has not stored a handoff packet on this issue yet; this one is derived from the issue.',
        )
      : null,
    h(doc, 'h3', {}, 'Decisions'),
    list(doc, p.decisions, 'None recorded.'),
    h(doc, 'h3', {}, 'Open questions'),
    list(doc, p.openQuestions, 'None.'),
    p.risks.length > 0 ? h(doc, 'h3', {}, 'Risks') : null,
    p.risks.length > 0 ? list(doc, p.risks, '') : null,
    h(doc, 'h3', {}, 'Next owner'),
    h(doc, 'p', {}, p.nextOwner ?? 'Nobody yet'),
    h(doc, 'h3', {}, 'Definition of ready'),
    h(
      doc,
      'ul',
      {},
      ...p.definitionOfReady.map((d) =>
        h(doc, 'li', { class: d.present ? '' : 'dor-missing' }, `${d.present ? '✓' : '✗'} ${d.item}`),
      ),
    ),
    h(doc, 'h3', {}, 'Links'),
    p.links.length === 0
      ? h(doc, 'p', { class: 'muted' }, 'None.')
      : h(doc, 'ul', {}, ...p.links.map((l) => h(doc, 'li', {}, h(doc, 'a', { href: l.url }, l.title)))),
  );
  const out: Node[] = [head];
  if (draft !== undefined) {
    // The text is the field's default value (its text content); what the rep types is its value.
    const text = h(
      doc,
      'textarea',
      {
        attrs: { 'data-role': 'draft-text', 'aria-label': `Draft for ${AUDIENCE_WORDS[s.audience]}`, rows: '8' },
        on: { input: () => act.editDraft(text.value) },
      },
      s.draftText ?? draft.text,
    );
    out.push(
      h(
        doc,
        'section',
        { attrs: { 'data-role': 'draft', 'data-audience': draft.audience } },
        h(doc, 'h3', {}, `Draft for ${AUDIENCE_WORDS[s.audience]}`),
        h(
          doc,
          'div',
          { class: 'row', attrs: { role: 'group', 'aria-label': 'Audience' } },
          ...AUDIENCES.map((a) =>
            h(
              doc,
              'button',
              {
                attrs: { 'data-action': 'audience', value: a, 'aria-pressed': String(a === s.audience) },
                on: { click: () => act.pickAudience(a) },
              },
              AUDIENCE_BUTTONS[a],
            ),
          ),
        ),
        wordingNote(doc, 'draft-wording', draft.wording),
        text,
        h(
          doc,
          'div',
          { class: 'row' },
          canInsert
            ? h(
                doc,
                'button',
                { class: 'primary', attrs: { 'data-action': 'insert' }, on: { click: () => act.insert(text.value) } },
                'Insert',
              )
            : null,
          h(doc, 'button', { attrs: { 'data-action': 'copy' }, on: { click: () => act.copy(text.value) } }, 'Copy'),
        ),
      ),
    );
  }
  out.push(jiraActions(doc, s, act), packet);
  if (s.page !== null) {
    const log = h(doc, 'section', { attrs: { 'data-role': 'log' } }, h(doc, 'h3', {}, 'Log to Jira'));
    if (s.log === null) {
      log.append(
        h(
          doc,
          'p',
          { class: 'muted' },
          s.page.entry.kind === 'email'
            ? 'Add this email to the issue as a comment.'
            : "Add this record's key facts to the issue as a comment.",
        ),
        h(
          doc,
          'button',
          { attrs: { 'data-action': 'log-start' }, on: { click: () => act.logStart() } },
          'Log to Jira…',
        ),
      );
    } else {
      const entry = chooseMessages(s.page.entry, s.log.chosen);
      log.append(
        ...logChoices(doc, s.page.entry, s.log, act),
        h(doc, 'p', {}, `This comment will be added to ${v.case.key}:`),
        entry === null
          ? h(doc, 'p', { class: 'error', attrs: { role: 'alert' } }, 'Choose at least one message to log.')
          : h(doc, 'pre', { attrs: { 'data-role': 'log-preview' } }, logEntryText(entry)),
        h(
          doc,
          'div',
          { class: 'row' },
          h(
            doc,
            'button',
            {
              class: 'primary',
              attrs: { 'data-action': 'log-confirm', ...(s.busy || entry === null ? { disabled: '' } : {}) },
              on: { click: () => act.logConfirm() },
            },
            'Add comment',
          ),
          h(doc, 'button', { attrs: { 'data-action': 'log-cancel' }, on: { click: () => act.logCancel() } }, 'Cancel'),
        ),
      );
    }
    out.push(log);
  }
  return out;
}

/** The rep's choices before logging: which messages of the thread, and who may read the comment. */
function logChoices(doc: Document, entry: LogEntry, choice: LogChoice, act: OverlayActions): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (entry.kind === 'email' && entry.messages.length > 1) {
    out.push(
      h(
        doc,
        'fieldset',
        { attrs: { 'data-role': 'log-messages' } },
        h(doc, 'legend', {}, 'Messages to log'),
        ...entry.messages.map((m, i) =>
          h(
            doc,
            'label',
            { class: 'choice' },
            h(doc, 'input', {
              attrs: {
                type: 'checkbox',
                'data-role': 'log-message',
                'data-index': String(i),
                ...(choice.chosen.includes(i) ? { checked: '' } : {}),
              },
              on: { change: () => act.logToggle(i) },
            }),
            ` ${m.from.name === '' ? m.from.email : m.from.name} · ${m.date}`,
          ),
        ),
      ),
    );
  }
  const option = (value: 'internal' | 'public', label: string): HTMLElement =>
    h(
      doc,
      'label',
      { class: 'choice' },
      h(doc, 'input', {
        attrs: {
          type: 'radio',
          name: 'log-visibility',
          value,
          'data-role': 'log-visibility',
          ...(choice.visibility === value ? { checked: '' } : {}),
        },
        on: { change: () => act.logVisibility(value) },
      }),
      ` ${label}`,
    );
  out.push(
    h(
      doc,
      'fieldset',
      { attrs: { 'data-role': 'log-visibilities' } },
      h(doc, 'legend', {}, 'Who can read it'),
      option('internal', 'Internal note (agents only)'),
      option('public', 'Public comment (in Service Management the customer sees it)'),
    ),
  );
  return out;
}

/** Search Jira by words or JQL; the results become the candidates above. */
function searchForm(doc: Document, act: OverlayActions): HTMLElement {
  const input = h(doc, 'input', {
    attrs: {
      name: 'jira-query',
      placeholder: 'Search Jira: words or JQL',
      'aria-label': 'Search Jira',
      autocomplete: 'off',
    },
  });
  return h(
    doc,
    'form',
    {
      attrs: { 'data-role': 'search', role: 'search' },
      on: {
        submit: (e) => {
          e.preventDefault();
          if (input.value.trim() !== '') act.search(input.value.trim());
        },
      },
    },
    input,
    h(doc, 'button', { attrs: { type: 'submit' } }, 'Search'),
  );
}

/** A new issue from the page, prefilled: the project of the case in view, the page's title, its latest text. */
function createForm(doc: Document, s: CaseState, act: OverlayActions): HTMLElement {
  const page = s.page!;
  const entry = page.entry;
  const project = (s.selected ?? s.find?.candidates[0]?.key ?? '').split('-')[0] ?? '';
  const field = (name: string, label: string, value: string): HTMLInputElement =>
    h(doc, 'input', { attrs: { name, 'aria-label': label, value, autocomplete: 'off' } });
  const inputs = {
    project: field('create-project', 'Project key', project),
    issueType: field('create-type', 'Issue type', 'Task'),
    summary: field('create-summary', 'Summary', page.title.slice(0, 255)),
  };
  const description = h(
    doc,
    'textarea',
    { attrs: { name: 'create-description', 'aria-label': 'Description', rows: '4' } },
    entry.kind === 'email' ? (entry.messages.at(-1)?.text ?? '').slice(0, 2000) : `${entry.object} ${entry.name}`,
  );
  const label = (text: string, el: HTMLElement): HTMLElement => h(doc, 'label', { class: 'choice' }, text, el);
  return h(
    doc,
    'form',
    {
      class: 'stack',
      attrs: { 'data-role': 'create' },
      on: {
        submit: (e) => {
          e.preventDefault();
          act.create({
            project: inputs.project.value.trim().toUpperCase(),
            issueType: inputs.issueType.value.trim(),
            summary: inputs.summary.value.trim(),
            description: description.value,
          });
        },
      },
    },
    label('Project ', inputs.project),
    label('Type ', inputs.issueType),
    label('Summary ', inputs.summary),
    label('Description ', description),
    h(
      doc,
      'p',
      { class: 'muted' },
      `The ${entry.kind === 'email' ? 'email' : 'record'} becomes its first comment, an internal note.`,
    ),
    h(
      doc,
      'div',
      { class: 'row' },
      h(
        doc,
        'button',
        {
          class: 'primary',
          attrs: { type: 'submit', 'data-action': 'create-confirm', ...(s.busy ? { disabled: '' } : {}) },
        },
        'Create',
      ),
      h(
        doc,
        'button',
        { attrs: { type: 'button', 'data-action': 'create-cancel' }, on: { click: () => act.createCancel() } },
        'Cancel',
      ),
    ),
  );
}

/** Status and assignee of the linked issue, changed with the rep's own Jira permissions. */
function jiraActions(doc: Document, s: CaseState, act: OverlayActions): HTMLElement {
  const section = h(
    doc,
    'section',
    { attrs: { 'data-role': 'jira-actions' } },
    h(doc, 'h3', {}, 'Status and assignee'),
  );
  const acts: JiraOptions | null = s.acts;
  if (acts === null) {
    section.append(
      h(
        doc,
        'button',
        { attrs: { 'data-action': 'acts-start' }, on: { click: () => act.actsStart() } },
        'Change status or assignee…',
      ),
    );
    return section;
  }
  const disabled = s.busy ? { disabled: '' } : {};
  section.append(
    acts.transitions.length === 0
      ? h(doc, 'p', { class: 'muted' }, 'Jira offers you no transition here.')
      : h(
          doc,
          'div',
          { class: 'row', attrs: { role: 'group', 'aria-label': 'Move to' } },
          ...acts.transitions.map((t) =>
            h(
              doc,
              'button',
              {
                attrs: { 'data-action': 'transition', value: t.id, ...disabled },
                on: { click: () => act.transition(t.id) },
              },
              t.name,
            ),
          ),
        ),
  );
  const select = h(
    doc,
    'select',
    { attrs: { name: 'assignee', 'aria-label': 'Assignee' } },
    h(doc, 'option', { attrs: { value: '' } }, 'Unassigned'),
    ...acts.assignees.map((a) => h(doc, 'option', { attrs: { value: a.accountId } }, a.name)),
  );
  section.append(
    h(
      doc,
      'form',
      {
        attrs: { 'data-role': 'assign' },
        on: {
          submit: (e) => {
            e.preventDefault();
            act.assign(select.value === '' ? null : select.value);
          },
        },
      },
      select,
      h(doc, 'button', { attrs: { type: 'submit', 'data-action': 'assign', ...disabled } }, 'Assign'),
    ),
  );
  return section;
}
