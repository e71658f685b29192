import { z } from 'zod';

/**
 * Building blocks for route declarations (`createRoute` from
 * @hono/zod-openapi), shared by ingest and the api so every operation in
 * `/openapi.json` reads alike: the same tags, error body and key security.
 */

/** The sections of the API reference, in the order the document lists them. */
export const TAGS = {
  writes: 'Public writes (ingest)',
  reads: 'Public reads',
  moderation: 'Moderation',
  administration: 'Administration',
  operations: 'Operations',
} as const;

/** Routes that need an admin, owner or moderator key (`Authorization: Bearer <key>`). */
export const KEY_AUTH = [{ bearerKey: [] }];

/** The body every 4xx/5xx carries. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

type Described = Record<number, string>;

/**
 * Responses from status → description: 4xx/5xx carry the Error body; a 2xx
 * carries `produces` content types when the route answers something else
 * than JSON (feeds, scripts, pages, event streams).
 */
export function responses(described: Described, produces?: string[]) {
  return Object.fromEntries(
    Object.entries(described).map(([status, description]) => {
      if (Number(status) >= 400) return [status, { description, content: { 'application/json': { schema: ErrorBody } } }];
      if (produces && status === '200')
        return [status, { description, content: Object.fromEntries(produces.map((type) => [type, { schema: { type: 'string' as const } }])) }];
      return [status, { description }];
    }),
  );
}

/** The stable operationId of a method and OpenAPI path (links in the README and clients use it). */
export function operationIdOf(method: string, path: string): string {
  return `${method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
}
