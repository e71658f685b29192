import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DatabaseEnv, loadConfig } from '@stammtisch/config';
import { createDatabase, createSite, migrateToLatest, quoteIdentifier } from '@stammtisch/db';
import { fileChunks, importComments } from '../services/api/src/porting/index.js';

// Import rate and peak memory for a generated WordPress WXR file with 100k
// comments, through the same import function as the API and the command
// line. Runs against its own scratch database (created next to DATABASE_URL,
// dropped at the end).
//
//   npx tsx bench/import-wxr.ts [--comments 100000] [--per-post 50] [--file /tmp/stammtisch-bench-100k.xml]

const { values } = parseArgs({
  options: {
    comments: { type: 'string', default: '100000' },
    'per-post': { type: 'string', default: '50' },
    file: { type: 'string', default: '/tmp/stammtisch-bench-import.xml' },
    keep: { type: 'boolean', default: false },
  },
});
const total = Number(values.comments);
const perPost = Number(values['per-post']);
const file = values.file!;

const WORDS =
  'Schöne Geschichte danke für den Text ich gehe morgen auch spazieren ohne Handy das Wetter war gut Grüße aus Köln und München über die Brücke'.split(
    ' ',
  );

/** A deterministic pseudo-random sequence, so every run imports the same file. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function generate(): Promise<void> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const next = random(42);
  await write(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Bench Blog</title>
<link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://bench.example</wp:base_blog_url>
`);
  let id = 0;
  for (let post = 0; id < total; post++) {
    await write(`<item>
<title>Beitrag ${post}</title>
<link>https://bench.example/${2000 + (post % 20)}/${post}/beitrag-${post}/</link>
<wp:post_id>${post + 1}</wp:post_id>
<wp:comment_status>open</wp:comment_status>
<wp:post_type>post</wp:post_type>
`);
    const first = id + 1;
    const count = Math.min(perPost, total - id);
    for (let i = 0; i < count; i++) {
      id++;
      const roll = next();
      // 40% replies to an earlier comment of the post, 5% to a later one (the file is not in thread order).
      const parent =
        roll < 0.4 && id > first
          ? first + Math.floor(next() * (id - first))
          : roll < 0.45 && i < count - 1
            ? id + 1 + Math.floor(next() * (count - i - 1))
            : 0;
      const status = roll > 0.98 ? 'trash' : roll > 0.93 ? 'spam' : roll > 0.85 ? '0' : '1';
      const words = Array.from(
        { length: 10 + Math.floor(next() * 50) },
        () => WORDS[Math.floor(next() * WORDS.length)],
      ).join(' ');
      const body =
        next() < 0.2 ? `${words} <a href="https://example.org/${id}">Link</a> <b>fett</b>\n\nNoch ein Absatz.` : words;
      const date = new Date(Date.UTC(2010, 0, 1) + id * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      await write(`<wp:comment>
<wp:comment_id>${id}</wp:comment_id>
<wp:comment_author><![CDATA[Leser ${id % 997}]]></wp:comment_author>
<wp:comment_author_email>leser${id % 997}@example.org</wp:comment_author_email>
<wp:comment_author_url>https://leser${id % 97}.example</wp:comment_author_url>
<wp:comment_date>${date}</wp:comment_date>
<wp:comment_date_gmt>${date}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[${body}]]></wp:comment_content>
<wp:comment_approved>${status}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>${parent}</wp:comment_parent>
</wp:comment>
`);
    }
    await write('</item>\n');
  }
  await write('</channel>\n</rss>\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

const config = loadConfig(DatabaseEnv, process.env);
const scratch = new URL(config.DATABASE_URL);
const scratchName = `stammtisch_bench_import_${process.pid}`;
scratch.pathname = `/${scratchName}`;

async function dropScratch(): Promise<void> {
  const maintenance = new URL(config.DATABASE_URL);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdentifier(scratchName)} with (force)`);
  } finally {
    await client.end();
  }
}

let t = performance.now();
await generate();
const size = (await stat(file)).size;
console.log(
  `generated ${total} comments in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file} (${(size / 1024 ** 2).toFixed(1)} MiB)`,
);

await migrateToLatest(scratch.toString());
const db = createDatabase({ url: scratch.toString(), poolSize: 2, statementTimeoutMs: 0 });
try {
  await createSite(db, { id: 'bench', name: 'Bench', origins: [], moderation: 'auto', settings: {} });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const rssBefore = process.memoryUsage().rss;
  t = performance.now();
  const counts = await importComments(db, { siteId: 'bench', format: 'wxr', chunks: fileChunks(file) });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const rows = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const replies = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('depth', '>', 0)
    .executeTakeFirstOrThrow();
  console.log(
    `imported ${counts.imported}, skipped ${counts.skipped} (rows ${rows.n}, replies ${replies.n}) in ${seconds.toFixed(1)} s: ${Math.round(counts.imported / seconds)} comments/s`,
  );
  console.log(
    `RSS before import ${(rssBefore / 1024 ** 2).toFixed(0)} MiB; peak RSS during import ${(peakRss / 1024 ** 2).toFixed(0)} MiB (sampled); process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; file ${(size / 1024 ** 2).toFixed(0)} MiB`,
  );
  t = performance.now();
  const again = await importComments(db, { siteId: 'bench', format: 'wxr', chunks: fileChunks(file) });
  console.log(
    `second import of the same file: imported ${again.imported}, skipped ${again.skipped} in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
} finally {
  await db.destroy();
  await dropScratch();
  if (!values.keep) await rm(file, { force: true });
}
