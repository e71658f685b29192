import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// Postgres `bigint` (count(*), bigserial) arrives as a string by default; our
// counts fit in a JS number, and a number is what every caller expects.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  /** How long to wait for a connection before failing, so a down database answers fast instead of hanging. */
  connectionTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

export type DB = Kysely<Database>;

/** The one place that opens a pool. Call `db.destroy()` on shutdown. */
export function createDatabase(options: DatabaseOptions): DB {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 3000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'stammtisch',
  });
  // An idle client that loses its connection (Postgres restarted) emits 'error'
  // on the pool; without a listener that would crash the process.
  pool.on('error', () => {});
  // A client that is checked out (between Kysely's acquire and its query, or
  // inside a transaction) has no pool listener; Postgres going away then
  // emits 'error' on the client itself, which would crash the process. The
  // query in flight still fails, and the pool drops the broken client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

/** The readiness check: one round trip to Postgres; throws when it is away. */
export async function pingDatabase(db: DB): Promise<void> {
  await sql`select 1`.execute(db);
}
