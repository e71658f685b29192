import { type DB, findCommentView, findEmailSubscriber, findReplyWatcher, findSite } from '@stammtisch/db';
import type { EmailJob } from '@stammtisch/contract';
import type { MailMessage, Mailer } from '@stammtisch/mail';
import { confirmMail, heldMail, mailLocale, replyMail } from '../mail/texts.js';

export interface EmailProcessorDeps {
  db: DB;
  mailer: Mailer;
  /** Base of the links in mails (PUBLIC_API_URL). */
  publicApiUrl: string;
}

function link(base: string, path: string, token: string): string {
  return `${base.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}`;
}

/** List-Unsubscribe with RFC 8058 one-click, so mail clients can offer their own button. */
function unsubscribeHeaders(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * Builds and sends one mail. Everything is read fresh from Postgres, so a
 * mail whose reason went away (unsubscribed, comment already moderated) is
 * not sent. Returns what it did, for tests and logs.
 */
export async function processEmail(deps: EmailProcessorDeps, job: EmailJob): Promise<'sent' | 'skipped'> {
  const message = await buildMessage(deps, job);
  if (!message) return 'skipped';
  await deps.mailer.send(message);
  return 'sent';
}

async function buildMessage(deps: EmailProcessorDeps, job: EmailJob): Promise<MailMessage | null> {
  const { db } = deps;
  if (job.kind === 'confirm') {
    const subscriber = await findEmailSubscriber(db, job.subscriberId);
    if (subscriber?.status !== 'pending') return null;
    const [site, comment] = await Promise.all([findSite(db, subscriber.siteId), findCommentView(db, job.commentId)]);
    if (!site) return null;
    const unsubscribeUrl = link(deps.publicApiUrl, '/v1/email/unsubscribe', subscriber.token);
    const mail = confirmMail(mailLocale(subscriber.locale ?? site.settings.locale), {
      siteName: site.name,
      threadTitle: comment?.threadTitle ?? comment?.threadKey ?? site.name,
      confirmUrl: link(deps.publicApiUrl, '/v1/email/confirm', subscriber.token),
      unsubscribeUrl,
    });
    return { to: subscriber.email, ...mail, headers: unsubscribeHeaders(unsubscribeUrl) };
  }

  if (job.kind === 'reply') {
    const reply = await findCommentView(db, job.replyId);
    if (!reply?.parentId || reply.status !== 'approved') return null;
    const watcher = await findReplyWatcher(db, reply.parentId);
    if (!watcher) return null;
    // Answering oneself is no news.
    if (reply.authorEmail && reply.authorEmail.trim().toLowerCase() === watcher.email) return null;
    const [site, parent] = await Promise.all([findSite(db, reply.siteId), findCommentView(db, reply.parentId)]);
    if (!site || !parent) return null;
    const unsubscribeUrl = link(deps.publicApiUrl, '/v1/email/unsubscribe', watcher.token);
    const mail = replyMail(mailLocale(site.settings.locale ?? watcher.locale), {
      siteName: site.name,
      threadTitle: reply.threadTitle ?? reply.threadKey,
      threadUrl: reply.threadUrl,
      recipientName: parent.authorName,
      replyAuthor: reply.authorName,
      replyBody: reply.body,
      unsubscribeUrl,
    });
    return { to: watcher.email, ...mail, headers: unsubscribeHeaders(unsubscribeUrl) };
  }

  const comment = await findCommentView(db, job.commentId);
  if (comment?.status !== 'pending') return null;
  const site = await findSite(db, comment.siteId);
  const to = site?.settings.notifyEmails ?? [];
  if (!site || to.length === 0) return null;
  const mail = heldMail(mailLocale(site.settings.locale), {
    siteName: site.name,
    threadTitle: comment.threadTitle ?? comment.threadKey,
    authorName: comment.authorName,
    body: comment.body,
    reasons: comment.reasons.filter((r) => r.weight > 0).map((r) => r.detail),
    moderateUrl: `${deps.publicApiUrl.replace(/\/+$/, '')}/moderate?site=${encodeURIComponent(site.id)}`,
  });
  return { to, ...mail };
}
