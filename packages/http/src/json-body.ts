import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from './errors.js';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Guards a JSON endpoint before validation: 413 over 64 KiB, 415 when the
 * body is not `application/json`, 400 invalid_json when it does not parse.
 * The parsed body is cached by Hono, so `validate('json', …)` reads it again for free.
 */
export function jsonBody(options: { maxBytes?: number } = {}): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: options.maxBytes ?? MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(
        'payload_too_large',
        `request body is over ${Math.round((options.maxBytes ?? MAX_BODY_BYTES) / 1024)} KiB`,
      );
    },
  });
  const parse: MiddlewareHandler = async function parseJsonBody(c, next) {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
      throw new AppError('unsupported_media_type', 'Content-Type must be application/json');
    }
    // Routes declared with @hono/zod-openapi check the media type more strictly than RFC 9110
    // (no space before ";", no empty parameter): hand them the same type written canonically.
    const canonical = canonicalMediaType(type);
    if (canonical !== type) c.req.raw.headers.set('content-type', canonical);
    try {
      await c.req.json();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('invalid_json', 'request body is not valid JSON');
    }
    await next();
  };
  return async function guardJsonBody(c, next) {
    await limit(c, async () => {
      await parse(c, next);
    });
  };
}

/** `application/json ; charset=UTF-8;` → `application/json; charset=UTF-8`. */
function canonicalMediaType(type: string): string {
  const [essence = '', ...parameters] = type.split(';').map((part) => part.trim());
  return [essence, ...parameters.filter((parameter) => /^[a-zA-Z0-9-]+=[^;]+$/.test(parameter))].join('; ');
}
