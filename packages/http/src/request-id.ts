import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** Gives every request an id (`X-Request-Id` in and out) that error bodies and logs carry. */
export function requestId(): MiddlewareHandler {
  return async function assignRequestId(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : `req_${randomBytes(8).toString('hex')}`;
    c.set('requestId' as never, id as never);
    c.header('X-Request-Id', id);
    await next();
  };
}
