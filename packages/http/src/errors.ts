import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';

/** Every error code the API answers with, and its HTTP status (see API.md). */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  invalid_token: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  votes_disabled: 403,
  site_not_found: 404,
  comment_not_found: 404,
  not_found: 404,
  thread_closed: 409,
  conflict: 409,
  edit_window_closed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;
export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds for `Retry-After` (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

/** Turns zod issues into `details` with dotted paths ("author.name", "thread.key"). */
export function detailsFromZod(error: {
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>;
}): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

export function invalidRequest(details: ErrorDetail[]): AppError {
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ');
  return new AppError(
    'invalid_request',
    summary + (details.length > 3 ? ` (and ${details.length - 3} more)` : ''),
    details,
  );
}

/** Errors that mean a dependency (Postgres, Redis) is away rather than a bug in us. */
export function isUnavailableError(error: unknown): boolean {
  const candidate = error as { code?: string; message?: string; name?: string } | undefined;
  if (!candidate) return false;
  const code = candidate.code ?? '';
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
      '57P01',
      '57P03',
      '53300',
      '08006',
      '08001',
    ].includes(code)
  )
    return true;
  const message = candidate.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Connection is closed|Stream isn't writeable|enableOfflineQueue|MaxRetriesPerRequest|ECONNREFUSED/i.test(
    message,
  );
}

/** Postgres data exceptions caused by what a client sent: bad encoding (NUL), bad uuid/number/date text, out-of-range numbers. */
export function isUnstorableInputError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && ['22021', '22P05', '22P02', '22003', '22007', '22008'].includes(code);
}

export function errorBody(code: ErrorCode, message: string, requestId: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details && { details }), requestId } };
}

/** The one error handler every app installs with `app.onError`. */
export function createErrorHandler(logger: Logger) {
  return function handleError(error: Error, c: Context) {
    const requestId = (c.get('requestId' as never) as string | undefined) ?? 'req_unknown';
    if (error instanceof AppError) {
      if (error.retryAfter !== undefined) c.header('Retry-After', String(error.retryAfter));
      return c.json(errorBody(error.code, error.message, requestId, error.details), error.status);
    }
    // Hono's own HTTPException (bodyLimit etc.) carries a status; map it to our codes.
    const status = (error as { status?: number }).status;
    if (status === 413) return c.json(errorBody('payload_too_large', 'request body is over 64 KiB', requestId), 413);
    if (status === 404) return c.json(errorBody('not_found', 'not found', requestId), 404);
    // A declared route's media-type check (@hono/zod-openapi) refuses a body type the route does not take.
    if (status === 415)
      return c.json(errorBody('unsupported_media_type', 'Content-Type must be application/json', requestId), 415);
    // Input Postgres cannot hold or read (a NUL byte in a path segment, a malformed uuid or number
    // that slipped past validation) is the caller's mistake, not ours: 400, never 500.
    if (isUnstorableInputError(error)) {
      return c.json(
        errorBody(
          'invalid_request',
          'the request contains a value that cannot be stored or compared (e.g. a NUL character)',
          requestId,
        ),
        400,
      );
    }
    if (isUnavailableError(error)) {
      logger.warn({ err: error, requestId }, 'dependency unavailable');
      c.header('Retry-After', '5');
      return c.json(
        errorBody('unavailable', 'a service we depend on is unavailable; try again shortly', requestId),
        503,
      );
    }
    logger.error({ err: error, requestId, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal', 'internal error', requestId), 500);
  };
}

export function notFoundHandler(c: Context) {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? 'req_unknown';
  return c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`, requestId), 404);
}
