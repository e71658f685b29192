import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

// A random per-process prefix and a counter: unique across processes, and no
// trip to the entropy source per request (randomBytes per request was the
// single largest cost of a cached read).
const PROCESS_PREFIX = randomUUID().slice(0, 8);
let counter = 0;

export function nextRequestId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `req_${PROCESS_PREFIX}${counter.toString(36).padStart(6, '0')}`;
}

/** Gives every request an id (`X-Request-Id` in and out) that error bodies and logs carry. */
export function requestId(): MiddlewareHandler {
  return async function assignRequestId(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : nextRequestId();
    c.set('requestId' as never, id as never);
    c.header('X-Request-Id', id);
    await next();
  };
}
