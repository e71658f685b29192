import type { Site } from '@stammtisch/db';
import type { CommentJob } from '@stammtisch/contract';
import { type Verdict, isUncertain, withOutsideOpinion } from '@stammtisch/spam';
import type { AkismetClient } from './akismet.js';

/**
 * Asks the site's Akismet-compatible service about a comment the local checks left in the
 * uncertain middle (held on the score alone), when the site turned it on with a key. Its
 * answer becomes one more reason; no answer (timeout, error, open circuit) changes nothing
 * but is said in the reasons too. Never throws: the queue must not wait on an outside service.
 */
export async function consultOutsideCheck(
  client: AkismetClient | undefined,
  site: Site,
  job: CommentJob,
  threadUrl: string | null,
  verdict: Verdict,
): Promise<Verdict> {
  const settings = site.settings.akismet;
  if (!client || !settings?.key || !isUncertain(verdict, site.settings)) return verdict;
  const opinion = await client
    .commentCheck(settings.key, {
      blog: settings.blog ?? (site.origins as string[])[0] ?? threadUrl ?? '',
      permalink: threadUrl,
      // Ingest keeps only a keyed hash of the address; the raw one never reaches the queue.
      userIp: '',
      userAgent: job.userAgent ?? null,
      author: job.author.name,
      email: job.author.email ?? null,
      url: job.author.url ?? null,
      content: job.body,
      date: new Date(job.receivedAt),
      lang: site.settings.locale ?? null,
    })
    .catch((error: Error) => ({ unavailable: `request failed: ${error.message}` }));
  return withOutsideOpinion(verdict, opinion, { settings: site.settings, mode: site.moderation });
}
