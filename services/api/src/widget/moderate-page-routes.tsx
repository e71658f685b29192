/** @jsxImportSource hono/jsx */
import { readFile } from 'node:fs/promises';
import type { DB } from '@stammtisch/db';
import { TAGS, fileResponse } from '@stammtisch/contract/http';
import { AppError, openApiRouter } from '@stammtisch/http';
import { ensureModerateScript, moderateLanguages, pickModerateLanguage } from '@stammtisch/widget';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { authenticate } from '../auth.js';
import { QueuePage, SignInPage } from './moderate-page-views.js';
import { MODERATE_STYLES } from './page-assets.js';
import { type Sessions, sameToken } from '../moderation/session.js';
import { routes } from '../shared/routes.js';

export interface ModeratePageDeps {
  db: DB;
  adminKey?: string;
  sessions: Sessions;
}

// No inline script or style anywhere: the page's code comes from /moderate/app.js.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
/** The language switch's choice; wins over Accept-Language. */
const LANG_COOKIE = 'stammtisch_mod_lang';

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

/** The switch's cookie, else the browser's Accept-Language, else German. */
function languageOf(c: Context): string {
  const chosen = getCookie(c, LANG_COOKIE);
  return chosen && chosen in moderateLanguages ? chosen : pickModerateLanguage(c.req.header('accept-language'));
}

// The page is signed in with a session cookie, not a key, so its routes carry no key security.
const page = routes(TAGS.moderation);
/** A form the page posts; read by the handler (a wrong or missing field is an answer of its own, not a 400). */
const form = (field: string, description: string) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': {
      schema: { type: 'object' as const, properties: { [field]: { type: 'string' as const, description } } },
    },
  },
});

const pageRoute = page.get('/moderate', "The moderators' web page", {
  description:
    'Signed in: the queue; otherwise the sign-in form. `?lang=` switches the language (a cookie keeps it; 303 back).',
  answers: { 200: 'HTML', 303: 'Language switched' },
  produces: ['text/html'],
});
const signInRoute = page.post('/moderate/session', "Sign in to the page with a key (sets the page's session cookie)", {
  unchecked: { body: form('key', 'An admin, owner or moderator key') },
  answers: {
    303: 'Signed in: back to /moderate',
    401: fileResponse('Unknown key: the sign-in form again', ['text/html']),
    403: 'forbidden (cross-origin form post)',
  },
});
const signOutRoute = page.post(
  '/moderate/signout',
  "Sign out of the page (the form carries the session's CSRF token)",
  {
    unchecked: { body: form('csrf', "The session's CSRF token") },
    answers: { 303: 'Signed out: back to /moderate', 403: 'forbidden (cross-origin, or missing or wrong CSRF token)' },
  },
);
/** The page's own files, served alike: text of one type, revalidated on every load so a new build shows at once. */
const declareAsset = (path: string, summary: string, answer: string, type: string) =>
  page.get(path, summary, { answers: { 200: answer }, produces: [type] });
function sendAsset(c: Context, type: string, body: string) {
  c.header('Content-Type', `${type}; charset=utf-8`);
  c.header('Cache-Control', 'no-cache');
  return c.body(body);
}
const scriptRoute = declareAsset('/moderate/app.js', "The page's script", 'JavaScript', 'text/javascript');
const stylesRoute = declareAsset('/moderate/app.css', "The page's styles", 'CSS', 'text/css');

/** `/moderate`: the moderators' web page, with its sign-in, session and assets. */
export function moderatePageRoutes(deps: ModeratePageDeps) {
  const app = openApiRouter();
  let script: Promise<string> | undefined;

  app.use('/moderate', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Accept-Language, Cookie');
  });
  app.use('/moderate/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
  });

  app.openapi(pageRoute, async (c) => {
    const switchTo = c.req.query('lang');
    if (switchTo && switchTo in moderateLanguages) {
      setCookie(c, LANG_COOKIE, switchTo, { path: '/moderate', sameSite: 'Lax', maxAge: 365 * 86400, httpOnly: true });
      return c.redirect('/moderate', 303);
    }
    const lang = languageOf(c);
    const t = moderateLanguages[lang]!;
    const session = deps.sessions.read(c);
    const principal = session && (await authenticate(deps.db, deps.adminKey, session.key));
    if (!session || !principal) return c.html(<SignInPage lang={lang} t={t} />);
    return c.html(<QueuePage lang={lang} t={t} csrf={session.csrf} who={t.who(principal.role, principal.siteId)} />);
  });

  app.openapi(signInRoute, async (c) => {
    assertSameOrigin(c);
    const form = await c.req.parseBody();
    const key = typeof form.key === 'string' ? form.key.trim() : '';
    const principal = key ? await authenticate(deps.db, deps.adminKey, key) : null;
    if (!principal) {
      const lang = languageOf(c);
      const t = moderateLanguages[lang]!;
      c.header('Content-Security-Policy', CSP);
      return c.html(<SignInPage lang={lang} t={t} error={t.unknownKey} />, 401);
    }
    deps.sessions.start(c, key);
    return c.redirect('/moderate', 303);
  });

  app.openapi(signOutRoute, async (c) => {
    assertSameOrigin(c);
    const session = deps.sessions.read(c);
    const form = await c.req.parseBody();
    if (session && !sameToken(typeof form.csrf === 'string' ? form.csrf : undefined, session.csrf))
      throw new AppError('forbidden', 'missing or wrong CSRF token');
    deps.sessions.end(c);
    return c.redirect('/moderate', 303);
  });

  app.openapi(scriptRoute, async (c) => {
    script ??= ensureModerateScript()
      .then((path) => readFile(path, 'utf8'))
      .catch((error) => {
        script = undefined;
        throw error;
      });
    return sendAsset(c, 'text/javascript', await script);
  });
  app.openapi(stylesRoute, (c) => sendAsset(c, 'text/css', MODERATE_STYLES));

  return app;
}
