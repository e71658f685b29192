import { z } from 'zod';

/**
 * Commenter sign-in. COMMENTER_TOKEN_SECRET is shared by api (signs) and
 * ingest (verifies); IDENTITY_SECRET_KEY encrypts the providers' client
 * secrets at rest (api only). The defaults only suit a developer machine.
 */
export const CommenterTokenEnv = z.object({
  COMMENTER_TOKEN_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .default('development-only-commenter-token-secret-0123456789'),
});

export const IdentityEnv = CommenterTokenEnv.extend({
  IDENTITY_SECRET_KEY: z
    .string()
    .min(32, 'must be at least 32 characters')
    .default('development-only-identity-secret-key-0123456789'),
  /** Outgoing mail for email verification links (api); unset: the api refuses to send and says so. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Stammtisch <no-reply@localhost>'),
});
