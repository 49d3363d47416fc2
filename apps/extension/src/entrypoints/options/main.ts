import { browser } from 'wxt/browser';
import { createSendRequest } from '../../messaging/send-request.ts';
import { h } from '../../overlay/h.ts';
import { AUDIENCES } from '../../messaging/protocol.ts';
import { AUDIENCE_LABELS, NEVER_SENT, normaliseSiteUrl, readSettings, settingsItem } from '../../settings/settings.ts';
import type { Settings } from '../../settings/settings.ts';

const send = createSendRequest((m) => browser.runtime.sendMessage(m));
const app = document.getElementById('app')!;

function status(el: HTMLElement, kind: 'ok' | 'error' | 'info', text: string): void {
  el.dataset.kind = kind;
  el.textContent = text;
  el.hidden = false;
}

/** Chrome's built-in models (Prompt API, Summarizer), where the browser has them; absent in Chromium builds, so detected, never assumed. */
const builtInModel = ['LanguageModel', 'Summarizer'].some((name) => typeof (globalThis as Record<string, unknown>)[name] !== 'undefined');

async function render(): Promise<void> {
  const settings = await readSettings();
  const save = (patch: Partial<Settings>): Promise<void> => readSettings().then((s) => settingsItem.setValue({ ...s, ...patch }));

  // Jira site: the host permission is asked for here, at the moment the rep names the site.
  const site = h(document, 'input', { attrs: { type: 'url', id: 'jira-site', placeholder: 'https://your-company.atlassian.net', value: settings.jiraSiteUrl ?? '' } });
  const siteStatus = h(document, 'p', { class: 'status', attrs: { id: 'jira-status', hidden: '' } });
  const connect = async (): Promise<void> => {
    const origin = normaliseSiteUrl(site.value);
    if (origin === null) return status(siteStatus, 'error', 'That is not a web address. Type your Jira site, e.g. https://acme.atlassian.net');
    // Ask first, while the click still counts as a user gesture.
    const granted = await browser.permissions.request({ origins: [`${origin}/*`] });
    if (!granted) return status(siteStatus, 'error', `Baton was not allowed to contact ${origin}; nothing was saved.`);
    await save({ jiraSiteUrl: origin });
    site.value = origin;
    await test();
  };
  const test = async (): Promise<void> => {
    status(siteStatus, 'info', 'Checking…');
    const r = await send({ type: 'jira.ping' });
    if (r.ok) status(siteStatus, 'ok', `Connected to ${r.data.siteUrl} as ${r.data.displayName}.`);
    else status(siteStatus, 'error', r.error.message);
  };

  const presetInputs = AUDIENCES.map((a) => ({
    audience: a,
    greeting: h(document, 'input', { attrs: { type: 'text', id: `${a}-greeting`, value: settings.audiences[a].greeting } }),
    signOff: h(document, 'input', { attrs: { type: 'text', id: `${a}-signoff`, value: settings.audiences[a].signOff } }),
  }));
  const presetStatus = h(document, 'p', { class: 'status', attrs: { hidden: '' } });

  const modelToggle = h(document, 'input', { attrs: { type: 'checkbox', id: 'model-enabled', ...(settings.model.enabled ? { checked: '' } : {}), ...(builtInModel ? {} : { disabled: '' }) } });

  app.replaceChildren(
    h(document, 'h1', {}, 'Baton'),
    h(document, 'h2', {}, 'Your Jira site'),
    h(document, 'p', { class: 'muted' }, 'Baton reads and writes Jira with your own login in this browser. It asks for access to this one site only.'),
    h(document, 'label', { attrs: { for: 'jira-site' } }, 'Jira site URL'),
    site,
    h(document, 'button', { attrs: { id: 'connect' }, on: { click: () => void connect() } }, 'Save and allow access'),
    h(document, 'button', { attrs: { id: 'test' }, on: { click: () => void test() } }, 'Test connection'),
    siteStatus,
    h(document, 'h2', {}, 'Audience presets'),
    ...presetInputs.flatMap((p) => [
      h(document, 'h3', {}, AUDIENCE_LABELS[p.audience]),
      h(document, 'label', { attrs: { for: `${p.audience}-greeting` } }, 'Greeting'),
      p.greeting,
      h(document, 'label', { attrs: { for: `${p.audience}-signoff` } }, 'Sign-off'),
      p.signOff,
    ]),
    h(
      document,
      'button',
      {
        attrs: { id: 'save-presets' },
        on: {
          click: () => {
            const audiences = Object.fromEntries(presetInputs.map((p) => [p.audience, { greeting: p.greeting.value, signOff: p.signOff.value }])) as Settings['audiences'];
            void save({ audiences }).then(() => status(presetStatus, 'ok', 'Saved.'));
          },
        },
      },
      'Save presets',
    ),
    presetStatus,
    h(document, 'h2', {}, 'Optional model (off by default)'),
    h(
      document,
      'label',
      {},
      modelToggle,
      ' Let a model improve the wording of drafts',
    ),
    h(
      document,
      'p',
      { class: 'muted' },
      builtInModel
        ? "Uses the browser's built-in model, on this device. Rules still decide everything; the model only rewords."
        : 'This browser has no built-in model, so the option is unavailable. Drafts come from templates and work the same.',
    ),
    h(document, 'h2', {}, 'What is never sent'),
    h(document, 'ul', {}, ...NEVER_SENT.map((s) => h(document, 'li', {}, s))),
  );
  modelToggle.addEventListener('change', () => void save({ model: { enabled: modelToggle.checked, provider: modelToggle.checked ? 'chrome-built-in' : 'none' } }));
}

void render();
