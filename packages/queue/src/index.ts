export * from './connection.js';
export * from './batching-producer.js';
export * from './change-events.js';
export * from './queue-names.js';
export * from './shards.js';
