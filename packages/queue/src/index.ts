export * from './connection.js';
export * from './batching-producer.js';
export * from './events.js';
export * from './notifications.js';
export * from './shards.js';
