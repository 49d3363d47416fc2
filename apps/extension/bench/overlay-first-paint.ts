/**
 * How long after the click on Baton's button the overlay paints, in real headless Chromium with the
 * production build: `first paint` is the panel's first frame (reading the page, no network yet),
 * `case paint` the frame with the packet and draft (two requests to the local Jira stand-in).
 * Prints figures; asserts nothing. Usage: pnpm --filter @baton/extension bench [runs]
 */
import { rmSync } from 'node:fs';
import buildExtension, { CHROME_DIR } from '../test/global-setup.ts';
import { prepareTestBuild, startHarness } from '../test/e2e/harness.ts';
import { overlayProbe } from '../test/e2e/overlay-probe.ts';

const runs = Number(process.argv[2] ?? 15);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms, max ${s.at(-1)!.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  buildExtension();
  const dir = prepareTestBuild(CHROME_DIR);
  const h = await startHarness(dir);
  try {
    await (await h.configureJira()).close();
    const page = await h.newPage();
    const first: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      // A fresh document each run (going to the same URL with a hash would only scroll).
      await page.goto('about:blank');
      await page.goto(h.pages.gmailUrl('#inbox/FMfcgzQVzXrBJxKdwXqkDVRQWrWwlNzB'));
      await page.waitForSelector('h2.hP');
      // The overlay's shadow root is closed: the probe reaches it through the DevTools protocol.
      const o = await overlayProbe(page);
      await o.waitFor('[data-role="launcher"]');
      await page.evaluate(() => {
        document.addEventListener(
          'click',
          () =>
            document.documentElement.setAttribute('data-click-at', String(performance.timeOrigin + performance.now())),
          { capture: true, once: true },
        );
      });
      await o.click('[data-role="launcher"]');
      await page.waitForSelector('baton-overlay[data-baton-case-paint]', { state: 'attached', timeout: 20_000 });
      const t = await page.evaluate(() => {
        const host = document.querySelector('baton-overlay')!;
        const click = Number(document.documentElement.getAttribute('data-click-at'));
        return {
          first: Number(host.getAttribute('data-baton-first-paint')) - click,
          full: Number(host.getAttribute('data-baton-case-paint')) - click,
        };
      });
      // The first run warms the service worker and the HTTP connection; it is not counted.
      if (i === 0) continue;
      first.push(t.first);
      full.push(t.full);
    }
    console.log(`overlay first paint after click (${runs} runs, headless Chromium): ${stats(first)}`);
    console.log(
      `overlay case paint after click, incl. 2 Jira requests to a local server (${runs} runs): ${stats(full)}`,
    );
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
