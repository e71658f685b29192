import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DatabaseEnv, RedisEnv, loadConfig } from '@stammtisch/config';
import { type DB, createApiKey, createDatabase, createSite, findSite, listSites } from '@stammtisch/db';
import { detailsFromZod } from '@stammtisch/http';
import { type RedisTarget, createProducerConnection, publishChange, redisTarget } from '@stammtisch/queue';
import {
  ImportError,
  exportNdjson,
  exportWxr,
  fileChunks,
  formatFromFileName,
  IMPORT_FORMATS,
  type ImportFormat,
  importComments,
} from './porting/index.js';
import { ImportQuery } from './porting/porting-routes.js';
import { CreateKeyRequest, CreateSiteRequest } from './schemas.js';

// The owners' command line: `npm run cli -- <command>`. It opens the database
// itself (DATABASE_URL, default as for the services) and calls the same
// functions and schemas as the admin API, so the rules are the same; no
// server needs to run.

const USAGE = `Usage: npm run cli -- <command> [options]

  site create --id ID --name NAME [--origin URL]... [--moderation auto|pre|post]
  site list [--json]
  key create --site ID --role owner|moderator
  import FILE --site ID [--format wxr|disqus|ndjson] [--dry-run] [--strict]
              [--thread-key path|link|guid|post_id] [--types comment,pingback,trackback]
  export --site ID [--format ndjson|wxr] [--out FILE]

Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/comments),
REDIS_URL or REDIS_CLUSTER_NODES (optional: running services are told about imports).`;

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message);
}

function need(value: string | undefined, name: string): string {
  if (!value) fail(`--${name} is required`);
  return value;
}

async function requireSite(db: DB, id: string) {
  const site = await findSite(db, id);
  if (!site) fail(`no site with id ${id}`);
  return site;
}

/** Tells running api and worker processes that a site's comments changed; skipped quietly when Redis is away. */
async function announceSiteChanged(target: RedisTarget, prefix: string, siteId: string): Promise<void> {
  const redis = createProducerConnection(target, {
    connectTimeout: 1000,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  // Connection errors surface as the connect() rejection below; the listener only keeps them from being unhandled.
  let lastError: unknown;
  redis.on('error', (error) => {
    lastError = error;
  });
  try {
    await redis.connect();
    await publishChange(redis, prefix, { type: 'site.changed', siteId });
  } catch (error) {
    // No Redis, no running services to tell: say so, and carry on (the change is stored).
    const reason = error instanceof Error ? error.message : String(lastError ?? error);
    process.stderr.write(
      `note: running services were not told about the change (${reason}); they see it once their caches expire\n`,
    );
  } finally {
    redis.disconnect();
  }
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: NodeJS.WritableStream,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true },
      moderation: { type: 'string' },
      site: { type: 'string' },
      role: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      strict: { type: 'boolean' },
      'thread-key': { type: 'string' },
      types: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, ...rest] = positionals;
  if (values.help || !command) {
    out.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig(DatabaseEnv.extend(RedisEnv.shape), env);
  const db = createDatabase({
    url: config.DATABASE_URL,
    poolSize: 2,
    applicationName: 'stammtisch-cli',
    statementTimeoutMs: 0,
  });
  const print = (value: unknown) => out.write(`${JSON.stringify(value, null, 2)}\n`);
  try {
    if (command === 'site' && sub === 'create') {
      const parsed = CreateSiteRequest.safeParse({
        id: values.id,
        name: values.name,
        origins: values.origin ?? [],
        ...(values.moderation && { moderation: values.moderation }),
      });
      if (!parsed.success)
        fail(
          detailsFromZod(parsed.error)
            .map((d) => `${d.path}: ${d.message}`)
            .join('\n'),
        );
      if (await findSite(db, parsed.data.id)) fail(`a site with id ${parsed.data.id} exists already`);
      const site = await createSite(db, parsed.data);
      print({ id: site.id, name: site.name, origins: site.origins, moderation: site.moderation });
    } else if (command === 'site' && sub === 'list') {
      const sites = await listSites(db);
      if (values.json)
        print({ sites: sites.map((s) => ({ id: s.id, name: s.name, origins: s.origins, moderation: s.moderation })) });
      else for (const s of sites) out.write(`${s.id}\t${s.name}\t${s.moderation}\t${s.origins.join(' ')}\n`);
    } else if (command === 'key' && sub === 'create') {
      const site = await requireSite(db, need(values.site, 'site'));
      const parsed = CreateKeyRequest.safeParse({ role: values.role });
      if (!parsed.success) fail('--role must be owner or moderator');
      const { id, key } = await createApiKey(db, { siteId: site.id, role: parsed.data.role });
      // Shown this once; only its hash is stored.
      print({ id, key, role: parsed.data.role, siteId: site.id });
    } else if (command === 'import') {
      const file = sub ?? fail('give the file: import FILE --site ID');
      if (rest.length) fail(`unexpected arguments: ${rest.join(' ')}`);
      const site = await requireSite(db, need(values.site, 'site'));
      const format = values.format ?? formatFromFileName(file);
      if (format !== 'xml' && !IMPORT_FORMATS.includes(format as ImportFormat))
        fail('--format must be wxr, disqus or ndjson');
      // The same rules as the API's query options.
      const options = ImportQuery.omit({ format: true }).safeParse({
        strict: values.strict ? 'true' : undefined,
        dryRun: values['dry-run'] ? 'true' : undefined,
        threadKey: values['thread-key'],
        types: values.types,
      });
      if (!options.success)
        fail(
          detailsFromZod(options.error)
            .map((d) => `--${d.path.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${d.message}`)
            .join('\n'),
        );
      const counts = await importComments(db, {
        siteId: site.id,
        format: format as ImportFormat | 'xml',
        chunks: fileChunks(file),
        ...options.data,
      });
      if (counts.imported > 0 && !counts.dryRun)
        await announceSiteChanged(redisTarget(config), config.REDIS_PREFIX, site.id);
      print(counts);
    } else if (command === 'export') {
      const site = await requireSite(db, need(values.site, 'site'));
      const format = values.format ?? 'ndjson';
      if (format !== 'ndjson' && format !== 'wxr') fail('--format must be ndjson or wxr');
      const chunks =
        format === 'wxr'
          ? exportWxr(db, site, site.origins.find((o) => o !== '*') ?? 'http://localhost')
          : exportNdjson(db, site.id);
      if (values.out) await pipeline(Readable.from(chunks), createWriteStream(values.out));
      else {
        for await (const chunk of chunks) {
          if (!out.write(chunk)) await new Promise((done) => out.once('drain', done));
        }
      }
    } else {
      fail(`unknown command: ${[command, sub].filter(Boolean).join(' ')}\n\n${USAGE}`);
    }
  } finally {
    await db.destroy();
  }
}

// Run when started as a program (not when imported by a test).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runCli(process.argv.slice(2), process.env, process.stdout).catch((error: unknown) => {
    if (error instanceof UsageError) process.stderr.write(`error: ${error.message}\n`);
    else if (error instanceof ImportError)
      process.stderr.write(`error: the file cannot be imported, nothing was: ${error.describe()}\n`);
    else process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError || error instanceof ImportError ? 2 : 1;
  });
}
