import { type Kysely, sql } from 'kysely';
import { defaultNow, siteReference, siteScopedId } from './columns.js';

// Commenter sign-in: the identity providers a site offers, one-time email
// verification links, and the addresses proven that way. Only what the
// features need is kept: no tokens from providers, no profile beyond the comment.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('identity_providers')
    .$call(siteScopedId)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('preset', 'text')
    // 'oidc' (issuer with discovery, ID token) or 'oauth2' (plain endpoints, profile from a user endpoint).
    .addColumn('protocol', 'text', (c) => c.notNull().check(sql`protocol in ('oidc','oauth2')`))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('authorization_endpoint', 'text')
    .addColumn('token_endpoint', 'text')
    .addColumn('userinfo_endpoint', 'text')
    .addColumn('client_id', 'text', (c) => c.notNull())
    // AES-256-GCM, "v1.<iv>.<tag>.<ciphertext>" in base64url.
    .addColumn('client_secret_enc', 'text', (c) => c.notNull())
    .addColumn('scopes', 'jsonb', (c) => c.notNull())
    .addColumn('icon', 'text')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .execute();
  await db.schema.createIndex('identity_providers_site_idx').on('identity_providers').column('site_id').execute();

  await db.schema
    .createTable('email_verifications')
    .$call(siteScopedId)
    .addColumn('email', 'text', (c) => c.notNull())
    // SHA-256 of the token in the link: a database leak does not verify anyone.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', defaultNow)
    .execute();

  await db.schema
    .createTable('verified_emails')
    .addColumn('site_id', 'text', siteReference)
    // Lowercased.
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'timestamptz', defaultNow)
    .addPrimaryKeyConstraint('verified_emails_pk', ['site_id', 'email'])
    .execute();

  // A signed-in author's history on a site is looked up by the identity, not the (untrusted) email.
  await sql`create index comments_identity_idx on comments (site_id, (author_identity->>'issuer'), (author_identity->>'subject')) where author_identity is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists comments_identity_idx`.execute(db);
  await db.schema.dropTable('verified_emails').execute();
  await db.schema.dropTable('email_verifications').execute();
  await db.schema.dropTable('identity_providers').execute();
}
