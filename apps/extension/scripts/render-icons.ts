/**
 * Renders assets/icon.svg to the PNG sizes the stores and browsers ask for (Chrome does not take an
 * SVG as a manifest icon), into public/icon/<size>.png, where WXT picks them up for the manifest.
 * Run by hand after changing the SVG: `pnpm --filter @baton/extension exec tsx scripts/render-icons.ts`.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const ICON_SIZES = [16, 32, 48, 128] as const;

const APP = join(import.meta.dirname, '..');
const svg = readFileSync(join(APP, 'assets', 'icon.svg'), 'utf8');
const out = join(APP, 'public', 'icon');
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  for (const size of ICON_SIZES) {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    await page.screenshot({ path: join(out, `${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
