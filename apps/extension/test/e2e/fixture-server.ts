import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FIXTURES } from '../load-fixture.ts';

/**
 * Serves the Gmail and Lightning fixtures under their real paths, chosen by Host header:
 * `mail.google.com.localhost:<port>/mail/u/0/` and `<org>.lightning.force.com.localhost:<port>/lightning/r/…`.
 * Chromium resolves every `*.localhost` name to the loopback address by itself, so no DNS or
 * resolver flag is needed and the page keeps its real path and a host ending in the real one.
 */
export interface FixtureServer {
  readonly port: number;
  gmailUrl(hash: string, options?: { hostile?: boolean }): string;
  lightningUrl(path: string, options?: { hostile?: boolean }): string;
  close(): Promise<void>;
}

const RECORDS: Record<string, string> = {
  '/lightning/r/Opportunity/006Dn00000XyZaBIAV/view': 'salesforce/lightning-opportunity-shadow-dom.html',
  '/lightning/r/Account/001Dn00000AbCdEIAX/view': 'salesforce/lightning-account-light-dom.html',
  '/lightning/r/Account/001Dn00000ZzZzZIAX/view': 'salesforce/lightning-home-unrecognised.html',
  '/lightning/r/Opportunity/006Dn00000GlBxAIAV/view': 'salesforce/lightning-opportunity-globex-de.html',
};

export async function startFixtureServer(): Promise<FixtureServer> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const host = (req.headers.host ?? '').split(':')[0] ?? '';
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    // `?hostile` puts the hostile page's script first in <head>, so it runs before any content script.
    const page = (html: string): string =>
      url.searchParams.has('hostile') ? html.replace(/<head>/i, '<head><script src="/__hostile.js"></script>') : html;
    const send = (status: number, body: string, type = 'text/html; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/__hostile.js')
      return send(200, readFileSync(join(import.meta.dirname, 'pages', 'hostile-page.js'), 'utf8'), 'text/javascript');
    if (host === 'mail.google.com.localhost') {
      if (path === '/mail/u/0/')
        return send(200, page(readFileSync(join(import.meta.dirname, 'pages', 'gmail-shell.html'), 'utf8')));
      const m = /^\/__fixtures\/gmail\/([a-z0-9-]+\.html)$/.exec(path);
      if (m) return send(200, readFileSync(join(FIXTURES, 'gmail', m[1] as string), 'utf8'));
    }
    // A record page's own markup, for a test playing Lightning's client-side navigation.
    const record = /^\/__fixtures\/(salesforce\/[a-z0-9-]+\.html)$/.exec(path);
    if (host.endsWith('.lightning.force.com.localhost') && record)
      return send(200, readFileSync(join(FIXTURES, record[1] as string), 'utf8'));
    if (host.endsWith('.lightning.force.com.localhost') && RECORDS[path] !== undefined) {
      return send(200, page(readFileSync(join(FIXTURES, RECORDS[path] as string), 'utf8')));
    }
    send(404, 'not found', 'text/plain');
  };
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // `*.localhost` may resolve to ::1 first; answer there too (loopback only), when the machine has IPv6.
  const server6 = createServer(handler);
  const has6 = await new Promise<boolean>((resolve) => {
    server6.once('error', () => resolve(false));
    server6.listen(port, '::1', () => resolve(true));
  });
  return {
    port,
    gmailUrl: (hash, o = {}) =>
      `http://mail.google.com.localhost:${port}/mail/u/0/${o.hostile ? '?hostile' : ''}${hash}`,
    lightningUrl: (path, o = {}) =>
      `http://acme.lightning.force.com.localhost:${port}${path}${o.hostile ? '?hostile' : ''}`,
    close: async () => {
      for (const s of has6 ? [server, server6] : [server]) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
    },
  };
}
