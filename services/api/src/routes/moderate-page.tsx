/** @jsxImportSource hono/jsx */
import type { DB } from '@stammtisch/db';
import { AppError } from '@stammtisch/http';
import { type Context, Hono } from 'hono';
import { authenticate } from '../auth.js';
import { MODERATE_SCRIPT, MODERATE_STYLES } from '../moderation/page-assets.js';
import { type Sessions, sameToken } from '../moderation/session.js';

export interface ModeratePageDeps {
  db: DB;
  adminKey?: string;
  sessions: Sessions;
  /** How often the page looks for new held comments. */
  pollMs?: number;
}

// No inline script or style anywhere: the page's code comes from /moderate/app.js.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function Layout(props: { title: string; children: unknown; csrf?: string; pollMs?: number }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {props.csrf && <meta name="csrf-token" content={props.csrf} />}
        <title>{props.title}</title>
        <link rel="stylesheet" href="/moderate/app.css" />
      </head>
      <body data-poll-ms={props.pollMs ? String(props.pollMs) : undefined}>{props.children}</body>
    </html>
  );
}

function SignIn(props: { error?: string }) {
  return (
    <Layout title="Sign in · Stammtisch moderation">
      <form class="signin" method="post" action="/moderate/session">
        <h1>Stammtisch moderation</h1>
        <label for="key">Moderator, owner or admin key</label>
        <input id="key" name="key" type="password" autocomplete="current-password" required autofocus />
        {props.error && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}

const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous comment'],
  ['a', 'approve'],
  ['r', 'reject'],
  ['s', 'spam'],
  ['x', 'select / unselect'],
  ['shift+a', 'approve the selection (shift+r, shift+s: reject, spam)'],
  ['u', 'undo the last decision'],
  ['/', 'search'],
  ['?', 'this help'],
];

function Queue(props: { csrf: string; who: string; pollMs?: number }) {
  return (
    <Layout title="Moderation · Stammtisch" csrf={props.csrf} pollMs={props.pollMs}>
      <header>
        <h1>Moderation</h1>
        <label>
          Queue{' '}
          <select id="queue">
            <option value="pending">held</option>
            <option value="spam">spam</option>
            <option value="reported">reported</option>
            <option value="rejected">rejected</option>
            <option value="approved">approved</option>
          </select>
        </label>
        <label>
          Sort{' '}
          <select id="sort">
            <option value="oldest">oldest</option>
            <option value="newest">newest</option>
            <option value="priority">priority</option>
          </select>
        </label>
        <label>
          Site{' '}
          <select id="site">
            <option value="">all mine</option>
          </select>
        </label>
        <label>
          <span class="visually-hidden">Search</span>
          <input id="q" type="search" placeholder="/ search text, author, email" />
        </label>
        <span id="count" />
        <span>{props.who}</span>
        <form method="post" action="/moderate/signout">
          <input type="hidden" name="csrf" value={props.csrf} />
          <button type="submit">Sign out</button>
        </form>
      </header>
      <p id="status" role="status" aria-live="polite">
        Press ? for keyboard shortcuts.
      </p>
      <main>
        <ol id="items" aria-label="Comments" />
      </main>
      <section id="help" hidden aria-label="Keyboard shortcuts">
        <h2>Keyboard</h2>
        <dl>
          {SHORTCUTS.map(([keys, what]) => (
            <>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </>
          ))}
        </dl>
        <button id="help-close" type="button">
          Close (Esc)
        </button>
      </section>
      <script src="/moderate/app.js" defer />
    </Layout>
  );
}

/** A form post must come from this origin (sign-in has no session yet, so no CSRF token). */
function assertSameOrigin(c: Context) {
  const origin = c.req.header('origin');
  if (!origin) return;
  const self = new URL(c.req.url);
  const forwardedProto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim();
  const allowed = new Set([
    self.origin,
    forwardedProto ? `${forwardedProto}://${self.host}` : self.origin,
    `${self.protocol}//${c.req.header('host') ?? self.host}`,
  ]);
  if (!allowed.has(origin)) throw new AppError('forbidden', 'cross-origin form post refused');
}

/** `/moderate`: the moderators' web page, with its sign-in, session and assets. */
export function moderatePageRoutes(deps: ModeratePageDeps) {
  const app = new Hono();

  app.use('/moderate', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
  });
  app.use('/moderate/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
  });

  app.get('/moderate', async (c) => {
    const session = deps.sessions.read(c);
    const principal = session && (await authenticate(deps.db, deps.adminKey, session.key));
    if (!session || !principal) return c.html(<SignIn />);
    const who = principal.role === 'admin' ? 'admin' : `${principal.role} of ${principal.siteId}`;
    return c.html(<Queue csrf={session.csrf} who={who} pollMs={deps.pollMs} />);
  });

  app.post('/moderate/session', async (c) => {
    assertSameOrigin(c);
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const principal = key ? await authenticate(deps.db, deps.adminKey, key) : null;
    if (!principal) {
      c.header('Content-Security-Policy', CSP);
      return c.html(<SignIn error="That key is unknown or revoked." />, 401);
    }
    deps.sessions.start(c, key);
    return c.redirect('/moderate', 303);
  });

  app.post('/moderate/signout', async (c) => {
    assertSameOrigin(c);
    const session = deps.sessions.read(c);
    const form = await c.req.parseBody();
    if (session && !sameToken(typeof form.csrf === 'string' ? form.csrf : undefined, session.csrf))
      throw new AppError('forbidden', 'missing or wrong CSRF token');
    deps.sessions.end(c);
    return c.redirect('/moderate', 303);
  });

  app.get('/moderate/app.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(MODERATE_SCRIPT);
  });
  app.get('/moderate/app.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(MODERATE_STYLES);
  });

  return app;
}
