/*
 * The ban policy: which of a site's bans a comment falls under, and what the
 * comment's record says about it. Identity bans are also mirrored into a Redis
 * set, so ingest can refuse a banned account without a database round trip;
 * the api writes that set and ingest reads it, both through identityBanKey.
 */

/** A ban as the policy needs it (a row of the `bans` table fits). */
export interface BanRule {
  kind: 'email' | 'ip' | 'word' | 'identity';
  value: string;
  shadow: boolean;
}

/** What a comment offers to be matched against a site's bans. */
export interface BanSubject {
  body: string;
  email?: string | null;
  /** Every IP hash the comment is known by (for an edit: the editor's and the writer's). */
  ipHashes: readonly (string | null | undefined)[];
  identity?: { issuer: string; subject: string } | null;
}

/** The Redis set of banned identities of a site. */
export function identityBanKey(prefix: string, siteId: string): string {
  return `${prefix}:identity-bans:${siteId}`;
}

/** How an account is written in an identity ban (the `bans` row's value and the Redis set's member). */
export function identityBanValue(identity: { issuer: string; subject: string }): string {
  return `${identity.issuer}|${identity.subject}`;
}

/**
 * The first of a site's bans the comment falls under: its email (any case),
 * one of its IP hashes, its account, or a banned word anywhere in its text.
 */
export function findBan<B extends BanRule>(bans: readonly B[], subject: BanSubject): B | undefined {
  const email = subject.email?.toLowerCase();
  const text = subject.body.toLowerCase();
  const account = subject.identity ? identityBanValue(subject.identity) : null;
  return bans.find(
    (ban) =>
      (ban.kind === 'email' && email !== undefined && email === ban.value.toLowerCase()) ||
      (ban.kind === 'ip' && subject.ipHashes.includes(ban.value)) ||
      (ban.kind === 'word' && text.includes(ban.value.toLowerCase())) ||
      (ban.kind === 'identity' && account === ban.value),
  );
}

/** The reason a banned comment records. A shadow ban is spam for everyone but its author, whom the status endpoint tells "approved". */
export function banReason(ban: Pick<BanRule, 'kind' | 'shadow'>): {
  check: 'ban' | 'shadow_ban';
  weight: number;
  detail: string;
} {
  return ban.shadow
    ? {
        check: 'shadow_ban',
        weight: 10,
        detail: `Author is shadow-banned by ${ban.kind}: they see the comment as published, nobody else does`,
      }
    : { check: 'ban', weight: 10, detail: `Author is banned by ${ban.kind}` };
}
