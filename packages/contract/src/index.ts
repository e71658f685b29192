// The shapes ingest, worker and api agree on: public requests, queue jobs and the statistics series.
export * from './event-jobs.js';
export * from './jobs.js';
export * from './requests.js';
export type * from './stats.js';
