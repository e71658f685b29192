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

function html(paragraphs: Array<string | { link: string; label: string } | { quote: string }>): string {
  const parts = paragraphs.map((p) => {
    if (typeof p === 'string') return `<p>${escapeHtml(p)}</p>`;
    if ('link' in p) return `<p><a href="${escapeHtml(p.link)}">${escapeHtml(p.label)}</a></p>`;
    return `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:1em;white-space:pre-wrap">${escapeHtml(p.quote)}</blockquote>`;
  });
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${parts.join('\n')}</body></html>`;
}

export function confirmMail(
  locale: MailLocale,
  input: { siteName: string; threadTitle: string; confirmUrl: string; unsubscribeUrl: string },
): RenderedMail {
  if (locale === 'en') {
    const lines = [
      `You asked to be told by email when someone replies to your comment on “${input.threadTitle}” (${input.siteName}).`,
      'Please confirm your address by opening this link:',
    ];
    const after = 'If you did not ask for this, ignore this email: you will get nothing further.';
    return {
      subject: `Please confirm: reply notifications – ${input.siteName}`,
      text: `Hello,\n\n${lines.join('\n\n')}\n${input.confirmUrl}\n\n${after}\n\nUnsubscribe: ${input.unsubscribeUrl}\n`,
      html: html([
        'Hello,',
        ...lines,
        { link: input.confirmUrl, label: 'Confirm' },
        after,
        { link: input.unsubscribeUrl, label: 'Unsubscribe' },
      ]),
    };
  }
  const lines = [
    `Sie möchten per E-Mail erfahren, wenn jemand auf Ihren Kommentar zu „${input.threadTitle}“ (${input.siteName}) antwortet.`,
    'Bitte bestätigen Sie Ihre Adresse mit diesem Link:',
  ];
  const after =
    'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail einfach: Sie bekommen dann nichts weiter.';
  return {
    subject: `Bitte bestätigen: Benachrichtigung über Antworten – ${input.siteName}`,
    text: `Hallo,\n\n${lines.join('\n\n')}\n${input.confirmUrl}\n\n${after}\n\nAbmelden: ${input.unsubscribeUrl}\n`,
    html: html([
      'Hallo,',
      ...lines,
      { link: input.confirmUrl, label: 'Bestätigen' },
      after,
      { link: input.unsubscribeUrl, label: 'Abmelden' },
    ]),
  };
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
  const quote = excerpt(input.replyBody);
  const words =
    locale === 'en'
      ? {
          hello: 'Hello',
          intro: `${input.replyAuthor} replied to your comment on “${input.threadTitle}”:`,
          footer: 'You get this email because you asked to be told about replies to your comments.',
          subject: `New reply to your comment – ${input.siteName}`,
          read: 'Read the conversation',
          unsubscribe: 'Unsubscribe',
        }
      : {
          hello: 'Hallo',
          intro: `${input.replyAuthor} hat auf Ihren Kommentar zu „${input.threadTitle}“ geantwortet:`,
          footer:
            'Sie bekommen diese E-Mail, weil Sie Benachrichtigungen über Antworten auf Ihre Kommentare bestellt haben.',
          subject: `Neue Antwort auf Ihren Kommentar – ${input.siteName}`,
          read: 'Zum Gespräch',
          unsubscribe: 'Abmelden',
        };
  const { intro, footer } = words;
  return {
    subject: words.subject,
    text: `${words.hello} ${input.recipientName},\n\n${intro}\n\n${quote}\n\n${input.threadUrl ? `${words.read}: ${input.threadUrl}\n\n` : ''}${footer}\n${words.unsubscribe}: ${input.unsubscribeUrl}\n`,
    html: html([
      `${words.hello} ${input.recipientName},`,
      intro,
      { quote },
      ...(input.threadUrl ? [{ link: input.threadUrl, label: words.read }] : []),
      footer,
      { link: input.unsubscribeUrl, label: words.unsubscribe },
    ]),
  };
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
  const quote = excerpt(input.body);
  const why = input.reasons.slice(0, 3).join('; ');
  if (locale === 'en') {
    const intro = `A comment by ${input.authorName} on “${input.threadTitle}” is waiting for your approval.`;
    return {
      subject: `Comment waiting for approval – ${input.siteName}`,
      text: `${intro}\n\n${quote}\n\n${why ? `Why it was held: ${why}\n\n` : ''}Moderate: ${input.moderateUrl}\n`,
      html: html([
        intro,
        { quote },
        ...(why ? [`Why it was held: ${why}`] : []),
        { link: input.moderateUrl, label: 'Moderate' },
      ]),
    };
  }
  const intro = `Ein Kommentar von ${input.authorName} zu „${input.threadTitle}“ wartet auf Ihre Freigabe.`;
  return {
    subject: `Kommentar wartet auf Freigabe – ${input.siteName}`,
    text: `${intro}\n\n${quote}\n\n${why ? `Warum er zurückgehalten wurde: ${why}\n\n` : ''}Moderieren: ${input.moderateUrl}\n`,
    html: html([
      intro,
      { quote },
      ...(why ? [`Warum er zurückgehalten wurde: ${why}`] : []),
      { link: input.moderateUrl, label: 'Moderieren' },
    ]),
  };
}
