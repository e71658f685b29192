import { sql } from 'kysely';
import type { DB } from '../connect.js';

export interface SiteSpamCounts {
  spamDocs: number;
  hamDocs: number;
  version: number;
  tokens: Map<string, { spam: number; ham: number }>;
}

/** Everything a site has taught its classifier. */
export async function loadSiteSpamCounts(db: DB, siteId: string): Promise<SiteSpamCounts> {
  const [model, tokens] = await Promise.all([
    db.selectFrom('spamModels').selectAll().where('siteId', '=', siteId).executeTakeFirst(),
    db.selectFrom('spamTokenCounts').select(['token', 'spam', 'ham']).where('siteId', '=', siteId).execute(),
  ]);
  return {
    spamDocs: model?.spamDocs ?? 0,
    hamDocs: model?.hamDocs ?? 0,
    version: model?.version ?? 0,
    tokens: new Map(tokens.map((t) => [t.token, { spam: t.spam, ham: t.ham }])),
  };
}

/**
 * Teaches a site's counts one comment's features with a label; `delta` -1
 * takes an earlier lesson back (an undone decision). Counts never go below 0.
 */
export async function applySpamLesson(
  db: DB,
  input: { siteId: string; features: string[]; label: 'spam' | 'ham'; delta: 1 | -1 },
): Promise<void> {
  const features = [...new Set(input.features)];
  const isSpam = input.label === 'spam';
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('spamModels')
      .values({
        siteId: input.siteId,
        spamDocs: isSpam ? Math.max(0, input.delta) : 0,
        hamDocs: isSpam ? 0 : Math.max(0, input.delta),
        version: 1,
      })
      .onConflict((oc) =>
        oc.column('siteId').doUpdateSet({
          spamDocs: isSpam ? sql`greatest(0, spam_models.spam_docs + ${input.delta})` : sql`spam_models.spam_docs`,
          hamDocs: isSpam ? sql`spam_models.ham_docs` : sql`greatest(0, spam_models.ham_docs + ${input.delta})`,
          version: sql`spam_models.version + 1`,
          updatedAt: new Date(),
        }),
      )
      .execute();
    if (features.length === 0) return;
    await trx
      .insertInto('spamTokenCounts')
      .values(
        features.map((token) => ({
          siteId: input.siteId,
          token,
          spam: isSpam ? Math.max(0, input.delta) : 0,
          ham: isSpam ? 0 : Math.max(0, input.delta),
        })),
      )
      .onConflict((oc) =>
        oc.columns(['siteId', 'token']).doUpdateSet({
          spam: isSpam ? sql`greatest(0, spam_token_counts.spam + ${input.delta})` : sql`spam_token_counts.spam`,
          ham: isSpam ? sql`spam_token_counts.ham` : sql`greatest(0, spam_token_counts.ham + ${input.delta})`,
        }),
      )
      .execute();
  });
}

/**
 * A site's moderator decisions of the last 90 days that overturned or confirmed the spam
 * stage (undo events and undone decisions left out), for its adaptive thresholds.
 */
export async function loadSiteOverrides(
  db: DB,
  siteId: string,
  now = new Date(),
): Promise<{ heldApproved: number; heldRejected: number; approvedToSpam: number; spamToApproved: number }> {
  const since = new Date(now.getTime() - 90 * 24 * 3600_000);
  const row = await db
    .selectFrom('moderationEvents as e')
    .select([
      sql<number>`count(*) filter (where e.from_status = 'pending' and e.to_status = 'approved')::int`.as(
        'heldApproved',
      ),
      sql<number>`count(*) filter (where e.from_status = 'pending' and e.to_status in ('spam', 'rejected'))::int`.as(
        'heldRejected',
      ),
      sql<number>`count(*) filter (where e.from_status = 'approved' and e.to_status = 'spam')::int`.as(
        'approvedToSpam',
      ),
      sql<number>`count(*) filter (where e.from_status = 'spam' and e.to_status = 'approved')::int`.as(
        'spamToApproved',
      ),
    ])
    .where('e.siteId', '=', siteId)
    .where('e.actorKeyId', 'is not', null)
    .where('e.undoOf', 'is', null)
    .where('e.createdAt', '>', since)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('moderationEvents as u').select('u.id').whereRef('u.undoOf', '=', 'e.id'))),
    )
    .executeTakeFirstOrThrow();
  return {
    heldApproved: Number(row.heldApproved),
    heldRejected: Number(row.heldRejected),
    approvedToSpam: Number(row.approvedToSpam),
    spamToApproved: Number(row.spamToApproved),
  };
}
