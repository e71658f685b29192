import { html } from 'hono/html';

/** The small page a reader sees after following an email link or a failed sign-in, in German or English. */
export function page(status: 'ok' | 'invalid' | 'failed', lang: 'de' | 'en' = 'de') {
  const texts = {
    de: {
      ok: ['E-Mail bestätigt', 'Danke! Ihre Kommentare mit dieser Adresse gelten jetzt als verifiziert.'],
      invalid: ['Link ungültig', 'Dieser Link ist abgelaufen oder wurde schon benutzt.'],
      failed: [
        'Anmeldung fehlgeschlagen',
        'Die Anmeldung ist abgelaufen oder wurde schon benutzt. Bitte versuchen Sie es noch einmal.',
      ],
    },
    en: {
      ok: ['Email verified', 'Thank you! Your comments with this address now count as verified.'],
      invalid: ['Invalid link', 'This link has expired or was used already.'],
      failed: ['Sign-in failed', 'The sign-in expired or was used already. Please try again.'],
    },
  } as const;
  const [title, text] = texts[lang][status];
  return html`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem"><h1>${title}</h1><p>${text}</p></body></html>`;
}
