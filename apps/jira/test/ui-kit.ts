import { createElement, Fragment } from 'react';
import type { ReactNode } from 'react';
import { uiResolver } from '../src/index.ts';
import { NOW, invokeResolver } from './fixtures.ts';
import { finishBeforeClose } from './forge-harness.ts';

/**
 * UI Kit in tests: `@forge/react`'s reconciler renders into ForgeDoc and talks to the host only
 * through `self.__bridge.callBridge` — `reconcile` (the tree), `getContext` (where it is shown) and
 * `invoke` (resolvers). The bridge here answers `invoke` with the app's real resolver (over the
 * Forge harness) and records every call, so a test sees what the page sent and what it shows.
 */
export interface ForgeDoc {
  type: string;
  props: Record<string, unknown>;
  children: ForgeDoc[];
}

export const texts = (d: ForgeDoc | undefined): string[] =>
  d === undefined
    ? []
    : [
        ...(d.type === 'String' ? [String(d.props.text)] : []),
        ...(typeof d.props.title === 'string' ? [d.props.title] : []),
        ...d.children.flatMap(texts),
      ];
export const find = (d: ForgeDoc | undefined, pred: (x: ForgeDoc) => boolean): ForgeDoc[] =>
  d === undefined ? [] : [...(pred(d) ? [d] : []), ...d.children.flatMap((c) => find(c, pred))];

/** The error messages shown under a form field (its Stack holds its label, its input and its errors). */
export const errorsUnder = (doc: ForgeDoc | undefined, name: string): string[] => {
  const stack = find(doc, (d) => d.type === 'Stack' && d.children.some((c) => c.props.name === name))[0];
  return texts({ type: 'x', props: {}, children: find(stack, (d) => d.type === 'ErrorMessage') });
};

/** A site charter with one SLA goal (`resolve`, 3d) over SUP: the admin form tests' starting point. */
export const ONE_GOAL_SITE_YAML = [
  'version: 2',
  'scope: { projects: [SUP] }',
  'slaGoals:',
  '  - id: resolve',
  '    target: 3d',
  '',
].join('\n');

export interface UiKitHost {
  doc(): ForgeDoc | undefined;
  /** Every resolver call the page made, in order. */
  calls: { name: string; payload: Record<string, unknown> }[];
  render(element: ReactNode): Promise<void>;
  /** The element named `name` (a field's `name` prop), or a button by its label. */
  field(name: string): ForgeDoc;
  button(label: string): ForgeDoc;
  type(name: string, value: string): void;
  /** Chooses the option with this value (a Select's own option: choosing one it does not offer throws). */
  choose(name: string, value: string): void;
  /** A multi Select's choice: the options with these values, in this order. */
  chooseMany(name: string, values: readonly string[]): void;
  /** The values a Select offers. */
  options(name: string): string[];
  /** What a UserPicker hands back when someone picks this account (UI Kit's UserPickerValue). */
  pickUser(name: string, accountId: string): void;
  click(label: string): Promise<void>;
  shown(): string;
  settle(predicate: () => boolean, what: string): Promise<void>;
}

let generation = 0;
/** Roots rendered before the newest one: the reconciler keeps them mounted, their updates are ignored. */
const stale = new WeakSet<object>();
let current: ForgeDoc | undefined;
type CallBridge = (
  cmd: string,
  data: { forgeDoc?: ForgeDoc; functionKey?: string; payload?: Record<string, unknown> },
) => Promise<unknown>;
let active: CallBridge = async () => undefined;
const BRIDGE = { callBridge: (cmd: string, data: Parameters<CallBridge>[1]) => active(cmd, data) };
/** The page's resolver calls not answered yet. */
const inFlight = new Set<Promise<unknown>>();

// After each test, before its harness closes: the page is unmounted (its effects cleaned up) and the
// resolver calls it made are answered. A page left mounted kept calling after the test; its calls met
// the closed sim and retried on real timers after the file had ended.
finishBeforeClose(async () => {
  if (generation > 0) {
    if (current !== undefined) stale.add(current);
    current = undefined;
    const { default: ForgeReconciler } = await import('@forge/react');
    ForgeReconciler.render(createElement(Only, { generation: ++generation, children: null }));
  }
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
});

export function installUiKitHost(opts: { accountId: string; extension: Record<string, unknown> }): UiKitHost {
  // A new host: whatever an earlier test rendered is stale from now on.
  if (current !== undefined) stale.add(current);
  current = undefined;
  const calls: UiKitHost['calls'] = [];
  active = async (cmd, data) => {
    if (cmd === 'reconcile' && data.forgeDoc !== undefined && !stale.has(data.forgeDoc)) current = data.forgeDoc;
    if (cmd === 'getContext') return { accountId: opts.accountId, extension: opts.extension };
    if (cmd === 'invoke') {
      calls.push({ name: String(data.functionKey), payload: data.payload ?? {} });
      const answer = invokeResolver(uiResolver as never, String(data.functionKey), data.payload, opts.accountId);
      inFlight.add(answer);
      const done = () => inFlight.delete(answer);
      answer.then(done, done);
      return answer;
    }
    return undefined;
  };
  // `@forge/bridge` takes `callBridge` once, when it loads: the bridge object stays, the host behind it changes.
  Object.assign(globalThis, { self: globalThis, __bridge: BRIDGE });

  const one = (name: string, list: ForgeDoc[]): ForgeDoc => {
    if (list.length !== 1) throw new Error(`expected one ${name} on the page, found ${list.length}\n${host.shown()}`);
    return list[0] as ForgeDoc;
  };
  const offered = (name: string): { label: string; value: string }[] => {
    const f = host.field(name);
    return Array.isArray(f.props.options) ? (f.props.options as { label: string; value: string }[]) : [];
  };
  const option = (name: string, value: string): { label: string; value: string } => {
    const f = host.field(name);
    if (!Array.isArray(f.props.options)) return { label: value, value };
    const o = offered(name).find((x) => x.value === value);
    if (o === undefined)
      throw new Error(
        `'${name}' offers no option '${value}': it offers ${JSON.stringify(offered(name).map((x) => x.value))}`,
      );
    return o;
  };
  const host: UiKitHost = {
    doc: () => current,
    calls,
    async render(element) {
      // The reconciler is a singleton: earlier roots stay mounted. Only the newest one may render.
      if (current !== undefined) stale.add(current);
      current = undefined;
      const mine = ++generation;
      const { default: ForgeReconciler } = await import('@forge/react');
      ForgeReconciler.render(createElement(Only, { generation: mine, children: element }));
    },
    field: (name) =>
      one(
        `field '${name}'`,
        find(current, (d) => d.props.name === name),
      ),
    button: (label) =>
      one(
        `button '${label}'`,
        find(current, (d) => d.type === 'Button' && texts(d).join('') === label),
      ),
    type(name, value) {
      (host.field(name).props.onChange as (e: unknown) => void)({ target: { value } });
    },
    choose(name, value) {
      (host.field(name).props.onChange as (o: unknown) => void)(option(name, value));
    },
    chooseMany(name, values) {
      (host.field(name).props.onChange as (o: unknown) => void)(values.map((v) => option(name, v)));
    },
    options: (name) => offered(name).map((o) => o.value),
    pickUser(name, accountId) {
      const f = host.field(name);
      if (f.type !== 'UserPicker') throw new Error(`'${name}' is a ${f.type}, not a UserPicker`);
      (f.props.onChange as (u: unknown) => void)({
        id: accountId,
        name: accountId,
        email: '',
        avatarUrl: '',
        type: 'user',
      });
    },
    async click(label) {
      await (host.button(label).props.onClick as () => unknown)();
    },
    shown: () => texts(current).join('\n'),
    async settle(predicate, what) {
      for (let i = 0; i < 300 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
      if (!predicate()) throw new Error(`timed out waiting for ${what}; the page shows:\n${host.shown()}`);
    },
  };
  return host;
}

function Only({ generation: mine, children }: { generation: number; children: ReactNode }) {
  return mine === generation ? createElement(Fragment, null, children) : null;
}

/**
 * The site admin page (u-grace administers the site) over a site charter saved from `yaml` as the admin
 * page saves one (version 1), rendered until the page shows `ready`.
 */
export async function openSiteAdmin(yaml: string, ready: string): Promise<UiKitHost> {
  const { parseCharterYaml } = await import('../src/app/charter-yaml.ts');
  const { createBatonStorage } = await import('../src/platform/baton-storage.ts');
  const parsed = parseCharterYaml(yaml);
  if (!parsed.ok) throw new Error(`bad fixture: ${JSON.stringify(parsed.issues)}`);
  await createBatonStorage().saveCharter(
    'global',
    { charter: parsed.value, yaml, updatedAt: NOW, updatedBy: 'test' },
    0,
  );
  const ui = installUiKitHost({ accountId: 'u-grace', extension: { type: 'jira:adminPage' } });
  const { CharterAdmin } = await import('../src/frontend/admin/charter-admin.tsx');
  await ui.render(createElement(CharterAdmin, { scope: 'global', pollMs: 2000 }));
  await ui.settle(() => ui.shown().includes(ready), `'${ready}' on the admin page`);
  return ui;
}
