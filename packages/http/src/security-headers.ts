import type { MiddlewareHandler } from 'hono';

const HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Headers every answer carries; HTML pages add their own Content-Security-Policy
 * and may replace the frame rule. Set before the handler runs: touching
 * `c.res.headers` afterwards turns @hono/node-server's lightweight response
 * into a full one and cost the cached read path about half its throughput.
 * A handler that returns a Response object of its own gets them added after.
 */
export function securityHeaders(): MiddlewareHandler {
  return async function setSecurityHeaders(c, next) {
    for (const [name, value] of Object.entries(HEADERS)) c.header(name, value);
    await next();
    if (!c.res.headers.has('X-Content-Type-Options')) {
      for (const [name, value] of Object.entries(HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
    }
  };
}
