/**
 * The mails' words, German (the default) and English, chosen by the site's
 * `settings.locale`. Plain text first; the HTML part says the same.
 */
export type MailLocale = 'de' | 'en';

export function mailLocale(locale: string | null | undefined): MailLocale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'de';
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function excerpt(body: string, max = 600): string {
  const flat = body.trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

type Paragraph = string | { link: string; label: string } | { quote: string };

/** Plain text and HTML from one list of paragraphs, so the two parts always say the same. */
function compose(subject: string, paragraphs: Array<Paragraph | false>): RenderedMail {
  const shown = paragraphs.filter((p): p is Paragraph => p !== false);
  const text = shown.map((p) => (typeof p === 'string' ? p : 'link' in p ? `${p.label}: ${p.link}` : p.quote));
  const parts = shown.map((p) => {
    if (typeof p === 'string') return `<p>${escapeHtml(p)}</p>`;
    if ('link' in p) return `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.label)}</a></p>`;
    return `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:1em;white-space:pre-wrap">${escapeHtml(p.quote)}</blockquote>`;
  });
  return {
    subject,
    text: `${text.join('\n\n')}\n`,
    html: `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${parts.join('\n')}</body></html>`,
  };
}

export function confirmMail(
  locale: MailLocale,
  input: { siteName: string; threadTitle: string; confirmUrl: string; unsubscribeUrl: string },
): RenderedMail {
  const words =
    locale === 'en'
      ? {
          subject: `Please confirm: reply notifications – ${input.siteName}`,
          hello: 'Hello,',
          asked: `You asked to be told by email when someone replies to your comment on “${input.threadTitle}” (${input.siteName}).`,
          confirm: 'Please confirm your address by opening this link',
          after: 'If you did not ask for this, ignore this email: you will get nothing further.',
          unsubscribe: 'Unsubscribe',
        }
      : {
          subject: `Bitte bestätigen: Benachrichtigung über Antworten – ${input.siteName}`,
          hello: 'Hallo,',
          asked: `Sie möchten per E-Mail erfahren, wenn jemand auf Ihren Kommentar zu „${input.threadTitle}“ (${input.siteName}) antwortet.`,
          confirm: 'Bitte bestätigen Sie Ihre Adresse mit diesem Link',
          after:
            'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail einfach: Sie bekommen dann nichts weiter.',
          unsubscribe: 'Abmelden',
        };
  return compose(words.subject, [
    words.hello,
    words.asked,
    { link: input.confirmUrl, label: words.confirm },
    words.after,
    { link: input.unsubscribeUrl, label: words.unsubscribe },
  ]);
}

export function replyMail(
  locale: MailLocale,
  input: {
    siteName: string;
    threadTitle: string;
    threadUrl: string | null;
    recipientName: string;
    replyAuthor: string;
    replyBody: string;
    unsubscribeUrl: string;
  },
): RenderedMail {
  const words =
    locale === 'en'
      ? {
          subject: `New reply to your comment – ${input.siteName}`,
          hello: `Hello ${input.recipientName},`,
          intro: `${input.replyAuthor} replied to your comment on “${input.threadTitle}”:`,
          read: 'Read the conversation',
          footer: 'You get this email because you asked to be told about replies to your comments.',
          unsubscribe: 'Unsubscribe',
        }
      : {
          subject: `Neue Antwort auf Ihren Kommentar – ${input.siteName}`,
          hello: `Hallo ${input.recipientName},`,
          intro: `${input.replyAuthor} hat auf Ihren Kommentar zu „${input.threadTitle}“ geantwortet:`,
          read: 'Zum Gespräch',
          footer:
            'Sie bekommen diese E-Mail, weil Sie Benachrichtigungen über Antworten auf Ihre Kommentare bestellt haben.',
          unsubscribe: 'Abmelden',
        };
  return compose(words.subject, [
    words.hello,
    words.intro,
    { quote: excerpt(input.replyBody) },
    !!input.threadUrl && { link: input.threadUrl, label: words.read },
    words.footer,
    { link: input.unsubscribeUrl, label: words.unsubscribe },
  ]);
}

export function heldMail(
  locale: MailLocale,
  input: {
    siteName: string;
    threadTitle: string;
    authorName: string;
    body: string;
    reasons: string[];
    moderateUrl: string;
  },
): RenderedMail {
  const why = input.reasons.slice(0, 3).join('; ');
  const words =
    locale === 'en'
      ? {
          subject: `Comment waiting for approval – ${input.siteName}`,
          intro: `A comment by ${input.authorName} on “${input.threadTitle}” is waiting for your approval.`,
          why: `Why it was held: ${why}`,
          moderate: 'Moderate',
        }
      : {
          subject: `Kommentar wartet auf Freigabe – ${input.siteName}`,
          intro: `Ein Kommentar von ${input.authorName} zu „${input.threadTitle}“ wartet auf Ihre Freigabe.`,
          why: `Warum er zurückgehalten wurde: ${why}`,
          moderate: 'Moderieren',
        };
  return compose(words.subject, [
    words.intro,
    { quote: excerpt(input.body) },
    !!why && words.why,
    { link: input.moderateUrl, label: words.moderate },
  ]);
}
