import { createHash, randomBytes } from 'node:crypto';
import { insertEmailVerification, useEmailVerification } from '@stammtisch/db';
import { AppError, checkRateLimit, clientIp, hashIp, openApiRouter } from '@stammtisch/http';
import { openVerificationRoute, sendVerificationRoute } from './identity-api.js';
import type { IdentityRoutesDeps } from './identity-deps.js';
import { page } from './pages.js';

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Readers prove an email address with a one-time link; their comments with it then count as verified. */
export function emailVerificationRoutes(deps: IdentityRoutesDeps) {
  const app = openApiRouter();

  app.options('/v1/sites/:siteId/email-verifications', (c) => {
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '600');
    return c.body(null, 204);
  });

  app.openapi(sendVerificationRoute, async (c) => {
    const { siteId } = c.req.valid('param');
    c.header('Access-Control-Allow-Origin', '*');
    const site = await deps.siteCache.getSite(siteId);
    if (!site) throw new AppError('site_not_found', `no site with id ${siteId}`);
    if (!deps.sendMail)
      throw new AppError(
        'unavailable',
        'email verification is not configured on this server (SMTP_URL)',
        undefined,
        3600,
      );
    const email = c.req.valid('json').email.toLowerCase();
    const ipHash = hashIp(clientIp(c, deps.trustProxy ?? false), deps.ipHashSecret);
    // Per client and per address: nobody can flood an inbox through us.
    const waitIp = await checkRateLimit(deps.redis, {
      key: `${deps.redisPrefix}:rl-verify-ip:${siteId}:${ipHash}`,
      limit: 10,
      windowSeconds: 3600,
    });
    const waitEmail = await checkRateLimit(deps.redis, {
      key: `${deps.redisPrefix}:rl-verify-email:${siteId}:${sha256(email)}`,
      limit: 3,
      windowSeconds: 3600,
    });
    if (waitIp !== null || waitEmail !== null)
      throw new AppError('rate_limited', 'too many verification mails; try again later', undefined, 3600);
    const token = randomBytes(32).toString('base64url');
    await insertEmailVerification(deps.db, {
      siteId,
      email,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + (deps.emailLinkTtlMs ?? 24 * 3600_000)),
    });
    const base = (deps.publicApiUrl ?? new URL(c.req.url).origin).replace(/\/$/, '');
    const link = `${base}/v1/email-verifications/${token}`;
    const en = site.settings.locale?.toLowerCase().startsWith('en');
    await deps.sendMail({
      to: email,
      subject: en
        ? `Confirm your email for comments on ${site.name}`
        : `E-Mail-Adresse für Kommentare auf ${site.name} bestätigen`,
      text: en
        ? `Please confirm that this address is yours by opening this link (valid for 24 hours, once):\n\n${link}\n\nIf you did not ask for this, ignore this mail.`
        : `Bitte bestätigen Sie, dass diese Adresse Ihnen gehört, mit diesem Link (24 Stunden gültig, einmal):\n\n${link}\n\nWenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.`,
    });
    return c.json({ status: 'sent' }, 202);
  });

  app.openapi(openVerificationRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    const tokenHash = sha256(c.req.valid('param').token);
    // One statement marks the link used, so two clicks at once verify once.
    if (!(await useEmailVerification(deps.db, tokenHash))) return c.html(page('invalid'), 404);
    return c.html(page('ok'));
  });

  return app;
}
