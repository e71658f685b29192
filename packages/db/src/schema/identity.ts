import type { Generated, Selectable } from 'kysely';
import type { Json, Timestamp } from './columns.js';

// Who a commenter is: sign-in providers and email addresses proven by a link.

export interface IdentityProviderTable {
  id: Generated<string>;
  siteId: string;
  name: string;
  /** 'google' | 'github' | 'wordpress' | 'microsoft' when made from a preset. */
  preset: string | null;
  protocol: 'oidc' | 'oauth2';
  issuer: string;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  clientId: string;
  /** Encrypted (AES-256-GCM with IDENTITY_SECRET_KEY); never returned. */
  clientSecretEnc: string;
  scopes: Json<string[]>;
  icon: string | null;
  createdAt: Generated<Date>;
}

export type IdentityProvider = Selectable<IdentityProviderTable>;

export interface EmailVerificationTable {
  id: Generated<string>;
  siteId: string;
  email: string;
  tokenHash: string;
  expiresAt: Timestamp;
  usedAt: Timestamp | null;
  createdAt: Generated<Date>;
}

export interface VerifiedEmailTable {
  siteId: string;
  email: string;
  verifiedAt: Generated<Date>;
}
