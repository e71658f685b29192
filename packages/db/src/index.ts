export * from './connect.js';
export * from './migrate.js';
export * from './schema.js';
export * from './repositories/api-keys.js';
export * from './repositories/comments.js';
export * from './repositories/sites.js';
export * from './repositories/threads.js';
export * from './repositories/spam-counts.js';
