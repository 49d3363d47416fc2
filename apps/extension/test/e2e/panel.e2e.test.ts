import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, CHROME_DIR } from '../global-setup.ts';
import { prepareTestBuild, startHarness } from './harness.ts';
import type { Harness } from './harness.ts';
import { overlayProbe } from './overlay-probe.ts';
import type { OverlayProbe } from './overlay-probe.ts';

// A panel that fits the page a rep keeps open all day: the draft and Insert above the fold, the due
// time in the rep's zone, focus moved in and back, Escape to minimise with the case's status left on
// the launcher, dark mode, and roles and contrast checked by axe-core in real Chromium.

const SHOTS = join(APP_DIR, '.output', 'e2e-screenshots');
const THREAD_WITH_KEY = '#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let h: Harness;
let extDir: string;
let page: Page;
let o: OverlayProbe;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  extDir = prepareTestBuild(CHROME_DIR);
  h = await startHarness(extDir);
  await (await h.configureJira()).close();
  page = await h.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
  await page.waitForSelector('h2.hP');
  o = await overlayProbe(page);
});

afterAll(async () => {
  await h?.close();
  if (extDir) rmSync(extDir, { recursive: true, force: true });
});

const focused = (selector: string): Promise<boolean> =>
  o.call<boolean>(selector, '(el) => el.getRootNode().activeElement === el');

/**
 * The overlay as drawn (its shadow root's markup and styles) in a page of its own, where axe-core can
 * reach it (axe does not enter closed shadow roots), in the given colour scheme.
 */
async function axeViolations(scheme: 'light' | 'dark'): Promise<string[]> {
  const markup = await o.call<string>('.baton', '(el) => el.getRootNode().innerHTML');
  const copy = await h.newPage();
  await copy.emulateMedia({ colorScheme: scheme });
  await copy.setContent(
    `<!doctype html><html lang="en"><head><title>Baton overlay</title></head><body><main>${markup}</main></body></html>`,
  );
  await copy.addScriptTag({ content: AXE });
  const result = await copy.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(c: unknown, o: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  await copy.close();
  return result;
}

describe('the panel', () => {
  it('opens with focus on its title, the draft and Insert above the fold, before the packet', async () => {
    await o.click('[data-role="launcher"]');
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
    expect(await focused('[data-role="title"]')).toBe(true);
    expect(await o.attr('.panel', 'role')).toBe('dialog');
    const layout = await o.call<{ insertBottom: number; viewport: number; draftFirst: boolean }>(
      '.panel',
      `(panel) => {
        const insert = panel.querySelector('[data-action="insert"]').getBoundingClientRect();
        const draft = panel.querySelector('[data-role="draft"]');
        const packet = panel.querySelector('[data-role="packet"]');
        return { insertBottom: insert.bottom, viewport: innerHeight, draftFirst: !!(draft.compareDocumentPosition(packet) & Node.DOCUMENT_POSITION_FOLLOWING) };
      }`,
    );
    expect(layout.draftFirst).toBe(true);
    expect(layout.insertBottom).toBeLessThan(layout.viewport);
    await page.screenshot({ path: join(SHOTS, 'overlay-light.png') });
  });

  it('shows the SLA due time relative and in the rep’s zone, not as a UTC timestamp', async () => {
    const sla = (await o.text('[data-role="sla"]')) ?? '';
    expect(sla).toMatch(/^At risk · Resolve within 2 business days · (overdue, )?due /);
    expect(sla).not.toContain('2026-11-24T17:00');
  });

  it('passes axe-core’s WCAG 2.1 A/AA rules, light and dark', async () => {
    expect(await axeViolations('light')).toEqual([]);
    expect(await axeViolations('dark')).toEqual([]);
  });

  it('Escape minimises it, focus returns to the launcher, which keeps the case’s status', async () => {
    await o.click('[data-action="log-start"]');
    await page.keyboard.press('Escape');
    await expect.poll(() => o.count('.panel')).toBe(0);
    expect(await focused('[data-role="launcher"]')).toBe(true);
    expect(await o.text('[data-role="badge"]')).toBe('SUP-2 · at risk');
    // Its accessible name is its text: "Baton: " for screen readers, then the badge (the B is decoration).
    expect(await o.text('[data-role="launcher-name"]')).toBe('Baton: ');
    await page.screenshot({ path: join(SHOTS, 'overlay-minimised.png') });
    // Enter on the focused launcher opens it again (a keyboard user's way back).
    await page.keyboard.press('Enter');
    await o.waitFor('[data-role="packet"][data-key="SUP-2"]');
  });

  it('follows the rep’s dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const bg = await o.call<string>('.panel', '(el) => getComputedStyle(el).backgroundColor');
    expect(bg).toBe('rgb(29, 33, 37)');
    await page.screenshot({ path: join(SHOTS, 'overlay-dark.png') });
  });

  it('declares the keyboard shortcut that toggles it (Alt+Shift+B)', () => {
    const m = JSON.parse(readFileSync(join(extDir, 'manifest.json'), 'utf8')) as {
      commands?: Record<string, { suggested_key?: { default?: string } }>;
    };
    expect(m.commands?.['toggle-baton']?.suggested_key?.default).toBe('Alt+Shift+B');
  });

  it('docks to the left on the rep’s word and remembers it for this site, on this device', async () => {
    // A panel node the overlay just replaced measures 0 wide at 0: read the connected one only (null
    // until then), and poll, since the overlay redraws as the case and the side arrive.
    const left = async (p: OverlayProbe): Promise<number | null> =>
      p.call<number | null>('.panel', '(el) => (el.isConnected ? el.getBoundingClientRect().left : null)');
    const gmail = await h.newPage();
    await gmail.goto(h.pages.gmailUrl(THREAD_WITH_KEY));
    let g = await overlayProbe(gmail);
    await g.click('[data-role="launcher"]');
    await g.waitFor('[data-role="packet"][data-key="SUP-2"]');
    await expect.poll(() => left(g)).toBeGreaterThan(600);
    await g.click('[data-action="dock"]');
    await expect.poll(() => left(g)).toBeLessThan(40);
    expect(await g.attr('[data-action="dock"]', 'aria-label')).toBe('Dock Baton to the right');
    await gmail.screenshot({ path: join(SHOTS, 'overlay-docked-left.png') });

    await gmail.reload();
    g = await overlayProbe(gmail);
    await g.click('[data-role="launcher"]');
    await g.waitFor('[data-role="packet"][data-key="SUP-2"]');
    await expect.poll(() => left(g)).toBeLessThan(40);

    // Another site keeps its own side.
    const sf = await h.newPage();
    await sf.goto(h.pages.lightningUrl('/lightning/r/Opportunity/006Dn00000XyZaBIAV/view'));
    const s = await overlayProbe(sf);
    await s.click('[data-role="launcher"]');
    await s.waitFor('.panel');
    await expect.poll(() => left(s)).toBeGreaterThan(600);
    await gmail.close();
    await sf.close();
  });
});
