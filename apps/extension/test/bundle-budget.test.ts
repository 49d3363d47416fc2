import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CHROME_DIR, FIREFOX_DIR } from './global-setup.ts';

/**
 * Size budget per content script. A content script is parsed on every Gmail and Salesforce page load,
 * whether or not the rep opens Baton, and Gmail tabs stay open all day. 80 kB minified (25 kB gzip)
 * leaves room for the polyfill (~10 kB), zod/mini schemas and the overlay, and is a fraction of what
 * Gmail itself loads. Measured at the time of writing: about 67 kB (22.2 kB gzip) each. The background
 * worker is not budgeted: it loads once and is not on the page's critical path. Its size is printed:
 * about 610 kB (152 kB gzip) since it carries the `openai` client for the rep's own model (a service
 * worker cannot load code lazily with import(), so the client is in the bundle whether or not the rep
 * switched a model on).
 */
export const CONTENT_SCRIPT_BUDGET = { raw: 80_000, gzip: 25_000 };

describe.each([
  ['chrome', CHROME_DIR],
  ['firefox', FIREFOX_DIR],
])('%s build', (_browser, dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    content_scripts: { js: string[] }[];
  };
  const scripts = manifest.content_scripts.flatMap((c) => c.js);

  it('has the two content scripts', () =>
    expect(scripts.sort()).toEqual(['content-scripts/gmail.js', 'content-scripts/salesforce.js']));

  it.each(scripts)('%s stays within the content-script budget', (file) => {
    const path = join(dir, file);
    const raw = statSync(path).size;
    const gzip = gzipSync(readFileSync(path)).length;
    console.log(
      `${_browser} ${file}: ${(raw / 1000).toFixed(1)} kB, ${(gzip / 1000).toFixed(1)} kB gzip (budget ${CONTENT_SCRIPT_BUDGET.raw / 1000} / ${CONTENT_SCRIPT_BUDGET.gzip / 1000} kB)`,
    );
    expect(raw).toBeLessThanOrEqual(CONTENT_SCRIPT_BUDGET.raw);
    expect(gzip).toBeLessThanOrEqual(CONTENT_SCRIPT_BUDGET.gzip);
  });

  it('content scripts carry no network code of their own', () => {
    for (const file of scripts) {
      const code = readFileSync(join(dir, file), 'utf8');
      expect(code).not.toMatch(/\/rest\/api\/3|X-Atlassian-Token|XMLHttpRequest/);
    }
    // …because @baton/jira's client lives in the background bundle only.
    expect(readFileSync(join(dir, 'background.js'), 'utf8')).toContain('/rest/api/3/changelog/bulkfetch');
  });

  it('content scripts carry no model client and never read the model settings (where the key is)', () => {
    for (const file of scripts) {
      const code = readFileSync(join(dir, file), 'utf8');
      expect(code).not.toMatch(
        /chat\/completions|dangerouslyAllowBrowser|OpenAI|apiKey|[Aa]uthorization|local:model|llm-counters|llm-audit/,
      );
    }
    // The client and the storage item are in the background, where the key is used.
    const background = readFileSync(join(dir, 'background.js'), 'utf8');
    expect(background).toContain('/chat/completions');
    expect(background).toContain('local:model');
    // …and only there: the options page and the side panel store and read settings, they call no model.
    for (const chunk of readdirSync(join(dir, 'chunks'))) {
      expect(readFileSync(join(dir, 'chunks', chunk), 'utf8')).not.toMatch(/chat\/completions|dangerouslyAllowBrowser/);
    }
    const gzip = gzipSync(background).length;
    console.log(
      `${_browser} background.js: ${(background.length / 1000).toFixed(1)} kB, ${(gzip / 1000).toFixed(1)} kB gzip (not budgeted)`,
    );
  });
});

describe('manifest', () => {
  it('asks for no Jira host at install time: the host is optional and requested at runtime', () => {
    const m = JSON.parse(readFileSync(join(CHROME_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(m.manifest_version).toBe(3);
    expect(m.host_permissions).toBeUndefined();
    expect(m.permissions).toEqual(['storage', 'sidePanel']);
    expect(m.optional_host_permissions).toContain('https://*.atlassian.net/*');
    // The rep's own model: any https provider, or a server on this computer (Ollama, LM Studio).
    expect(m.optional_host_permissions).toEqual(
      expect.arrayContaining(['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*']),
    );
  });

  it('declares the side panel: side_panel on Chrome, sidebar_action on Firefox, the same page', () => {
    const chrome = JSON.parse(readFileSync(join(CHROME_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    const firefox = JSON.parse(readFileSync(join(FIREFOX_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(chrome.side_panel).toEqual({ default_path: 'sidepanel.html' });
    expect(firefox.sidebar_action).toMatchObject({ default_panel: 'sidepanel.html' });
    expect(firefox.permissions).toEqual(['storage']);
  });
});
