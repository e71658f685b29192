import { type DB, findSpamSignals } from '@stammtisch/db';
import { type CampaignMatches, type CampaignSignal, campaignSignals, matchCampaign } from '@stammtisch/spam';

export interface CampaignLookup {
  body: string;
  author: { name: string; email?: string | null; url?: string | null };
  ipHash?: string | null;
}

/**
 * The campaign evidence for many comments with one query: each comment's signals (MinHash
 * bands, hashed domains, email and IP hashes) are looked up among the signals moderators on
 * every site left with their spam decisions. Returns one CampaignMatches per input, in order.
 * Only counts of sites come back: nothing another site stored is shown to anyone.
 */
export async function loadCampaignMatches(
  db: DB,
  comments: readonly CampaignLookup[],
  now = new Date(),
): Promise<CampaignMatches[]> {
  const signals: CampaignSignal[][] = comments.map((c) => campaignSignals(c));
  const stored = await findSpamSignals(
    db,
    signals.flatMap((list) => list.map((s) => s.value)),
    now,
  );
  const rows = stored.map((r) => ({ ...r, kind: r.kind as CampaignSignal['kind'] }));
  return signals.map((list) => matchCampaign(list, rows));
}
