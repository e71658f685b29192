import type { DB } from '@stammtisch/db';
import type { RunningService } from '@stammtisch/testkit';
import { sql } from 'kysely';

// Load for the cluster test: comments spread over many sites and two ingest
// processes, a reader that falls back to the other api, and the per-comment
// costs Postgres reports once the comments are in.

export interface LoadResult {
  accepted: string[];
  /** Non-202 answers by status (0 = no answer at all). */
  refused: Record<number, number>;
}

/** Posts `count` comments, `concurrency` at a time; comment n goes to site n mod sites and ingest n mod ingests. */
export async function postComments(
  ingestUrls: string[],
  sites: string[],
  count: number,
  options: { concurrency: number; tag: string; onAccepted?: (acceptedSoFar: number) => void },
): Promise<LoadResult> {
  const result: LoadResult = { accepted: [], refused: {} };
  let next = 0;
  async function lane() {
    for (let n = next++; n < count; n = next++) {
      const site = sites[n % sites.length]!;
      let status = 0;
      try {
        const res = await fetch(`${ingestUrls[n % ingestUrls.length]}/v1/sites/${site}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            thread: { key: `/artikel-${n % 3}` },
            author: { name: `Leser ${n}` },
            body: `Kommentar ${options.tag}-${n} auf ${site}: ein gewöhnlicher Beitrag zur Diskussion.`,
          }),
          signal: AbortSignal.timeout(30_000),
        });
        status = res.status;
        const body = (await res.json().catch(() => null)) as { id?: string } | null;
        if (status === 202 && body?.id) {
          result.accepted.push(body.id);
          options.onAccepted?.(result.accepted.length);
        }
      } catch {
        status = 0;
      }
      if (status !== 202) result.refused[status] = (result.refused[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return result;
}

/** How many of `ids` have a row. */
export async function countDecided(db: DB, ids: string[]): Promise<number> {
  let found = 0;
  for (let i = 0; i < ids.length; i += 1000) {
    const row = await db
      .selectFrom('comments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('id', 'in', ids.slice(i, i + 1000))
      .executeTakeFirstOrThrow();
    found += row.n;
  }
  return found;
}

export async function countRows(db: DB): Promise<number> {
  return (await db.selectFrom('comments').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
}

/**
 * Readers on both apis until stopped. A read whose api does not answer (killed)
 * is retried once on the other api; `failed` counts reads that got no good answer at all.
 */
export function readLoop(apiUrls: string[], sites: string[], lanes = 4) {
  const stats = { ok: 0, retried: 0, failed: 0 };
  let running = true;
  const get = async (url: string, site: string) => {
    const res = await fetch(`${url}/v1/sites/${site}/threads/%2Fartikel-0/comments?limit=5`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.arrayBuffer();
  };
  const lane = async (k: number) => {
    for (let n = k; running; n += lanes) {
      const site = sites[n % sites.length]!;
      try {
        await get(apiUrls[n % apiUrls.length]!, site);
        stats.ok++;
      } catch {
        try {
          await get(apiUrls[(n + 1) % apiUrls.length]!, site);
          stats.ok++;
          stats.retried++;
        } catch {
          stats.failed++;
        }
      }
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, (_, k) => lane(k)));
  return {
    async stop() {
      running = false;
      await done;
      return stats;
    },
  };
}

/** Postgres bytes per comment: the table (heap + TOAST) and each of its indexes, from the sizes Postgres reports. */
export async function tableCosts(db: DB): Promise<{ bytesPerComment: Record<string, number> }> {
  const n = await countRows(db);
  const table = await sql<{ heap: string; total: string; indexes: string }>`
    select pg_relation_size('comments') as heap, pg_total_relation_size('comments') as total, pg_indexes_size('comments') as indexes`.execute(
    db,
  );
  const indexes = await sql<{ name: string; bytes: string }>`
    select indexrelid::regclass::text as name, pg_relation_size(indexrelid) as bytes from pg_index where indrelid = 'comments'::regclass order by 1`.execute(
    db,
  );
  const per = (bytes: string) => Math.round(Number(bytes) / n);
  const t = table.rows[0]!;
  return {
    bytesPerComment: {
      total: per(t.total),
      heap: per(t.heap),
      toast: per(String(Number(t.total) - Number(t.heap) - Number(t.indexes))),
      allIndexes: per(t.indexes),
      ...Object.fromEntries(indexes.rows.map((r) => [r.name, per(r.bytes)])),
    },
  };
}

/** Sum of a counter over its label sets, from a service's /metrics. */
export async function metricTotal(service: RunningService, metric: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
