/** The queue every accepted comment goes through, from ingest to worker (its jobs: @stammtisch/contract jobs.ts). */
export const COMMENTS_QUEUE = 'comments';
/** Comment events, fanned out to webhook deliveries and mails (its jobs: @stammtisch/contract event-jobs.ts). */
export const EVENTS_QUEUE = 'events';
/** One job per (event, webhook): the HTTP delivery, retried with exponential backoff. */
export const WEBHOOKS_QUEUE = 'webhooks';
/** Outgoing mail: confirmations, reply notifications, held-comment notices. */
export const EMAILS_QUEUE = 'emails';
