import { browser } from 'wxt/browser';
import { createSendRequest } from '../../messaging/send-request.ts';
import { h } from '../../overlay/h.ts';
import { AUDIENCES } from '../../messaging/protocol.ts';
import { readModelUse } from '../../model/model-stores.ts';
import type { ModelUse } from '../../model/model-stores.ts';
import { originPattern } from '../../settings/host-pattern.ts';
import { modelSettingsItem, parseModelBaseUrl, readModelSettings } from '../../settings/model-settings.ts';
import type { ModelProvider, ModelSettings } from '../../settings/model-settings.ts';
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
const builtInModel = ['LanguageModel', 'Summarizer'].some(
  (name) => typeof (globalThis as Record<string, unknown>)[name] !== 'undefined',
);

async function render(): Promise<void> {
  const settings = await readSettings();
  const save = (patch: Partial<Settings>): Promise<void> =>
    readSettings().then((s) => settingsItem.setValue({ ...s, ...patch }));

  // Jira site: the host permission is asked for here, at the moment the rep names the site.
  const site = h(document, 'input', {
    attrs: {
      type: 'url',
      id: 'jira-site',
      placeholder: 'https://your-company.atlassian.net',
      value: settings.jiraSiteUrl ?? '',
    },
  });
  const siteStatus = h(document, 'p', { class: 'status', attrs: { id: 'jira-status', hidden: '' } });
  const connect = async (): Promise<void> => {
    const origin = normaliseSiteUrl(site.value);
    if (origin === null)
      return status(
        siteStatus,
        'error',
        'That is not a web address. Type your Jira site, e.g. https://acme.atlassian.net',
      );
    // Ask first, while the click still counts as a user gesture.
    const granted = await browser.permissions.request({ origins: [originPattern(origin)] });
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
    greeting: h(document, 'input', {
      attrs: { type: 'text', id: `${a}-greeting`, value: settings.audiences[a].greeting },
    }),
    signOff: h(document, 'input', {
      attrs: { type: 'text', id: `${a}-signoff`, value: settings.audiences[a].signOff },
    }),
  }));
  const presetStatus = h(document, 'p', { class: 'status', attrs: { hidden: '' } });

  const model = modelSection(await readModelSettings(), await readModelUse(Date.now()));

  app.replaceChildren(
    h(document, 'h1', {}, 'Baton'),
    h(document, 'h2', {}, 'Your Jira site'),
    h(
      document,
      'p',
      { class: 'muted' },
      'Baton reads and writes Jira with your own login in this browser. It asks for access to this one site only.',
    ),
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
            const audiences = Object.fromEntries(
              presetInputs.map((p) => [p.audience, { greeting: p.greeting.value, signOff: p.signOff.value }]),
            ) as Settings['audiences'];
            void save({ audiences }).then(() => status(presetStatus, 'ok', 'Saved.'));
          },
        },
      },
      'Save presets',
    ),
    presetStatus,
    ...model,
    h(document, 'h2', {}, 'What is never sent'),
    h(document, 'ul', {}, ...NEVER_SENT.map((s) => h(document, 'li', {}, s))),
  );
}

/**
 * The optional model: off, the browser's built-in one, or the rep's own OpenAI-compatible endpoint.
 * Kept in storage.local (this device only). The stored key is never written back into the page: the
 * field stays empty, and leaving it empty keeps the stored key.
 */
function modelSection(initial: ModelSettings, use: ModelUse): HTMLElement[] {
  let current = initial;
  const store = async (next: ModelSettings): Promise<void> => {
    await modelSettingsItem.setValue(next);
    current = next;
  };
  const radio = (value: ModelProvider, id: string, label: string, disabled = false): HTMLElement =>
    h(
      document,
      'label',
      { class: 'choice' },
      h(document, 'input', {
        attrs: {
          type: 'radio',
          name: 'model-provider',
          id,
          value,
          ...(current.provider === value ? { checked: '' } : {}),
          ...(disabled ? { disabled: '' } : {}),
        },
        on: { change: () => void choose(value) },
      }),
      ` ${label}`,
    );
  const baseUrl = h(document, 'input', {
    attrs: {
      type: 'url',
      id: 'model-base-url',
      placeholder: 'https://api.openai.com/v1',
      value: current.ownModel?.baseUrl ?? '',
    },
  });
  const modelName = h(document, 'input', {
    attrs: { type: 'text', id: 'model-name', placeholder: 'gpt-4.1-mini', value: current.ownModel?.model ?? '' },
  });
  const apiKey = h(document, 'input', {
    attrs: { type: 'password', id: 'model-key', autocomplete: 'off', spellcheck: 'false' },
  });
  const keyHint = h(document, 'p', { class: 'muted', attrs: { id: 'model-key-hint' } });
  const modelStatus = h(document, 'p', { class: 'status', attrs: { id: 'model-status', hidden: '' } });
  const own = h(document, 'fieldset', { attrs: { id: 'own-model' } });
  const showKeyHint = (): void => {
    keyHint.textContent =
      current.ownModel === null
        ? 'No key stored.'
        : 'A key is stored on this device. Leave the field empty to keep it.';
  };
  const showOwn = (on: boolean): void => {
    own.hidden = !on;
  };

  async function choose(value: ModelProvider): Promise<void> {
    showOwn(value === 'openai-compatible');
    // Your own model is switched on by "Save and allow access" (it needs the provider's permission).
    if (value === 'openai-compatible') return;
    await store({ ...current, provider: value });
    status(
      modelStatus,
      'ok',
      value === 'none'
        ? 'Model off: drafts come from the rules only.'
        : "The side panel's summary will be worded by the browser's built-in model.",
    );
  }

  const saveOwn = async (): Promise<void> => {
    const url = parseModelBaseUrl(baseUrl.value);
    if (!url.ok) return status(modelStatus, 'error', url.issue.message);
    const name = modelName.value.trim();
    if (name === '') return status(modelStatus, 'error', 'Type the model name, e.g. gpt-4.1-mini.');
    const key = apiKey.value.trim() !== '' ? apiKey.value.trim() : (current.ownModel?.apiKey ?? '');
    if (key === '') return status(modelStatus, 'error', 'Paste your API key.');
    // Ask first, while the click still counts as a user gesture.
    const granted = await browser.permissions.request({ origins: [originPattern(url.value.origin)] });
    if (!granted)
      return status(
        modelStatus,
        'error',
        `Baton was not allowed to contact ${url.value.origin}; your model stays off.`,
      );
    await store({ provider: 'openai-compatible', ownModel: { baseUrl: url.value.baseUrl, model: name, apiKey: key } });
    apiKey.value = '';
    baseUrl.value = url.value.baseUrl;
    showKeyHint();
    status(modelStatus, 'ok', `Saved. Drafts and summaries will be worded by ${name} at ${url.value.origin}.`);
  };
  // One small sample draft (no case data) through the background, the guard and the provider.
  const test = async (): Promise<void> => {
    status(modelStatus, 'info', 'Asking your model…');
    const r = await send({ type: 'model.test' });
    if (!r.ok) return status(modelStatus, 'error', r.error.message);
    if (r.data.by === 'model')
      return status(modelStatus, 'ok', `Your model answered (${r.data.model}); Baton will use its wording.`);
    status(modelStatus, 'error', r.data.by === 'rules' ? r.data.reason : 'Your model did not answer.');
  };
  const forget = async (): Promise<void> => {
    await store({ provider: current.provider === 'openai-compatible' ? 'none' : current.provider, ownModel: null });
    apiKey.value = '';
    showKeyHint();
    const off = document.getElementById('model-none') as HTMLInputElement | null;
    if (current.provider === 'none' && off !== null) off.checked = true;
    showOwn(false);
    status(modelStatus, 'ok', 'Your key was removed from this device.');
  };

  own.append(
    h(document, 'label', { attrs: { for: 'model-base-url' } }, 'Base URL'),
    baseUrl,
    h(document, 'label', { attrs: { for: 'model-name' } }, 'Model'),
    modelName,
    h(document, 'label', { attrs: { for: 'model-key' } }, 'API key'),
    apiKey,
    keyHint,
    h(
      document,
      'button',
      { attrs: { id: 'model-save' }, on: { click: () => void saveOwn() } },
      'Save and allow access',
    ),
    h(document, 'button', { attrs: { id: 'model-test' }, on: { click: () => void test() } }, 'Test my model'),
    h(document, 'button', { attrs: { id: 'model-forget' }, on: { click: () => void forget() } }, 'Remove my key'),
    h(
      document,
      'p',
      { class: 'muted' },
      'The key stays on this device (never synced) and only Baton’s background uses it, to call this base URL. The model sees the draft and the packet summary with email addresses, phone numbers, card numbers and secrets replaced by placeholders, and may only reword them: rules still decide everything. A daily token budget caps what Baton spends with your key.',
    ),
  );
  // What the rep's key was used for on this device: counts and outcomes from the audit, never text.
  own.append(
    h(document, 'h3', {}, 'Use on this device'),
    h(
      document,
      'p',
      { attrs: { id: 'model-use' } },
      `Today: ${use.tokensToday.toLocaleString('en')} of ${use.dailyBudget.toLocaleString('en')} tokens.`,
    ),
    use.recent.length === 0
      ? h(document, 'p', { class: 'muted' }, 'No calls yet.')
      : h(
          document,
          'ul',
          { attrs: { id: 'model-calls' } },
          ...use.recent.map((c) =>
            h(
              document,
              'li',
              {},
              [
                new Date(c.at).toLocaleString('en'),
                c.purpose,
                c.model,
                c.outcome === 'failed' ? `failed (${c.issues.join(', ')})` : c.outcome,
                `${c.tokens} tokens`,
                `${c.latencyMs} ms`,
              ].join(' · '),
            ),
          ),
        ),
  );
  showKeyHint();
  showOwn(current.provider === 'openai-compatible');

  return [
    h(document, 'h2', {}, 'Optional model (off by default)'),
    h(
      document,
      'p',
      { class: 'muted' },
      'A model may improve the wording of drafts and summaries. Without one, Baton works the same with its templates.',
    ),
    radio('none', 'model-none', 'Off'),
    radio(
      'chrome-built-in',
      'model-built-in',
      builtInModel
        ? "The browser's built-in model, on this device"
        : "The browser's built-in model (this browser has none)",
      !builtInModel && current.provider !== 'chrome-built-in',
    ),
    radio(
      'openai-compatible',
      'model-own',
      'Your own OpenAI-compatible model (OpenAI, Azure OpenAI, a server on this computer)',
    ),
    own,
    modelStatus,
  ];
}

void render();
