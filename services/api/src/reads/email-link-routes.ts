import { type DB, confirmEmailSubscriber, unsubscribeEmailSubscriber } from '@stammtisch/db';
import { TAGS, fileResponse } from '@stammtisch/contract/http';
import { openApiRouter } from '@stammtisch/http';
import { html } from 'hono/html';
import { routes } from '../shared/routes.js';

export interface EmailRoutesDeps {
  db: DB;
}

const TEXTS = {
  de: {
    confirmed: ['Bestätigt', 'Danke! Sie bekommen jetzt eine E-Mail, wenn jemand auf Ihre Kommentare antwortet.'],
    unsubscribed: ['Abgemeldet', 'Sie bekommen keine E-Mails mehr über Antworten auf Ihre Kommentare.'],
    invalid: ['Link ungültig', 'Dieser Link ist nicht (mehr) gültig.'],
  },
  en: {
    confirmed: ['Confirmed', 'Thank you! You will now get an email when someone replies to your comments.'],
    unsubscribed: ['Unsubscribed', 'You will get no more emails about replies to your comments.'],
    invalid: ['Invalid link', 'This link is not (or no longer) valid.'],
  },
} as const;

function page(locale: string | null | undefined, key: keyof (typeof TEXTS)['de']) {
  const lang = locale?.toLowerCase().startsWith('en') ? 'en' : 'de';
  const [title, text] = TEXTS[lang][key];
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}

const reads = routes(TAGS.reads);
/** Every mail link is a public read whose `token` query is its only credential. */
const MAIL_LINK = 'Query: `token`.';
const htmlPage = (description: string) => fileResponse(description, ['text/html']);
const invalidLink = htmlPage('Unknown or used token (a page saying so)');

const confirmRoute = reads.get(
  '/v1/email/confirm',
  'Confirm reply notifications (double opt-in link from the confirmation mail)',
  { description: MAIL_LINK, answers: { 200: htmlPage('Confirmed'), 404: invalidLink } },
);

const unsubscribeRoute = reads.get('/v1/email/unsubscribe', 'Stop reply notifications (the link in every mail)', {
  description: MAIL_LINK,
  answers: { 200: htmlPage('Unsubscribed'), 404: invalidLink },
});

const oneClickUnsubscribeRoute = reads.post(
  '/v1/email/unsubscribe',
  'One-click unsubscribe (RFC 8058, from the List-Unsubscribe-Post header)',
  { description: MAIL_LINK, answers: { 200: 'Unsubscribed' }, produces: ['text/plain'] },
);

/**
 * The links in reply-notification mails: confirm (double opt-in) and
 * unsubscribe. Public; the random token in the link is the only credential.
 */
export function emailRoutes(deps: EmailRoutesDeps) {
  const app = openApiRouter();

  app.openapi(confirmRoute, async (c) => {
    const token = c.req.query('token') ?? '';
    const subscriber = token ? await confirmEmailSubscriber(deps.db, token) : undefined;
    c.header('Cache-Control', 'no-store');
    return subscriber ? c.html(page(subscriber.locale, 'confirmed')) : c.html(page(null, 'invalid'), 404);
  });

  async function unsubscribe(token: string) {
    return token ? await unsubscribeEmailSubscriber(deps.db, token) : undefined;
  }

  // The link in the mail body: one click unsubscribes, no further question.
  app.openapi(unsubscribeRoute, async (c) => {
    const subscriber = await unsubscribe(c.req.query('token') ?? '');
    c.header('Cache-Control', 'no-store');
    return subscriber ? c.html(page(subscriber.locale, 'unsubscribed')) : c.html(page(null, 'invalid'), 404);
  });

  // RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the List-Unsubscribe URL.
  app.openapi(oneClickUnsubscribeRoute, async (c) => {
    const subscriber = await unsubscribe(c.req.query('token') ?? '');
    return subscriber ? c.text('unsubscribed') : c.text('invalid link', 404);
  });

  return app;
}
