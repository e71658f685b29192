/*
 * Identity bans: the api writes a banned account into a Redis set, ingest
 * refuses its comments from that set without a database round trip. Both
 * sides build the key here, so they cannot drift apart.
 */

/** The Redis set of banned identities of a site. */
export function identityBanKey(prefix: string, siteId: string): string {
  return `${prefix}:identity-bans:${siteId}`;
}

