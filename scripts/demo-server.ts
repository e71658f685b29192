import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import { embedStyleHashSource } from '@stammtisch/widget';

const page = readFileSync(new URL('./demo/kleine-fluchten.html', import.meta.url), 'utf8');

/**
 * The demo blog: one German article with the widget embedded exactly as a
 * site owner would, served from its own port so the widget really runs
 * cross-origin against the api and ingest.
 */
export function startDemoServer(options: {
  port: number;
  apiUrl: string;
  ingestUrl: string;
  host?: string;
}): Promise<Server> {
  const html = page.replaceAll('{{API_URL}}', options.apiUrl).replaceAll('{{INGEST_URL}}', options.ingestUrl);
  const connectSrc = [options.apiUrl, options.ingestUrl].join(' ');
  // Exactly what the page and the widget need: the script from the api, reads from the api,
  // writes to ingest, and two stylesheets by hash (the page's own and the widget's, in its
  // shadow root), avatars from the api. No inline script, no forms that leave the page.
  const pageStyles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    (m) =>
      `'sha256-${createHash('sha256')
        .update(m[1] ?? '')
        .digest('base64')}'`,
  );
  const csp = [
    "default-src 'none'",
    `script-src ${options.apiUrl}`,
    `connect-src ${connectSrc}`,
    `img-src ${options.apiUrl}`,
    `style-src ${[...pageStyles, embedStyleHashSource()].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path !== '/' && path !== '/2012/03/kleine-fluchten') {
      res.writeHead(302, { location: '/2012/03/kleine-fluchten' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    res.end(html);
  });
  return new Promise((resolve) => server.listen(options.port, options.host ?? '0.0.0.0', () => resolve(server)));
}
