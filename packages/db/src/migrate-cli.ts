import { DatabaseEnv, loadConfig } from '@stammtisch/config';
import { migrateToLatest } from './migrate.js';

// `npm run migrate`: creates the database when missing and applies every migration.
const config = loadConfig(DatabaseEnv, process.env);
const applied = await migrateToLatest(config.DATABASE_URL);
console.log(
  applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.',
);
