// The shapes ingest, worker and api agree on: public requests and queue jobs.
export * from './event-jobs.js';
export * from './jobs.js';
export * from './requests.js';
