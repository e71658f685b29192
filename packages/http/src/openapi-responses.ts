import { type OpenAPIHono, type RouteConfig, createRoute, z } from '@hono/zod-openapi';
import type { ZodType } from 'zod';

/**
 * Building blocks for route declarations (`createRoute`), so every feature
 * documents errors, bodies, keys and operation ids the same way.
 */

/** The error body every 4xx/5xx carries: `{"error": {"code", "message", "details"?, "requestId"}}`. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

/**
 * Error answers of a route, by status, each described by its error code(s):
 * `errorResponses({ 404: 'site_not_found', 409: 'conflict (id taken)' })`.
 */
export function errorResponses<Status extends number>(descriptions: Record<Status, string>) {
  const responses = {} as Record<Status, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }>;
  for (const [status, description] of Object.entries(descriptions) as Array<[`${Status}`, string]>) {
    responses[Number(status) as Status] = { description, content: { 'application/json': { schema: ErrorBody } } };
  }
  return responses;
}

/** A required JSON request body, listed under `components.schemas` by `name`. */
export function jsonRequestBody<Schema extends ZodType>(name: string, schema: Schema) {
  return { required: true, content: { 'application/json': { schema: schema.openapi(name) } } } as const;
}

/** A success answer that is not JSON (a file, a feed, a page, an event stream). */
export function fileResponse(description: string, mediaTypes: string[]) {
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string' as const } }])) };
}

/** Routes behind `requireKey`: `Authorization: Bearer <key>` (an admin, owner or moderator key). */
export const BEARER_KEY = [{ bearerKey: [] }];

/** `post /v1/admin/sites/{id}/keys` → `postV1AdminSitesByIdKeys`: the operation ids the document has always had. */
export function operationIdFor(method: string, path: string): string {
  const camel = path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''));
  return `${method}${camel}`;
}

/** `createRoute` with the operation id derived from method and path (unless one is given). */
export function declareRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(config: R) {
  return createRoute({ ...config, operationId: config.operationId ?? operationIdFor(config.method, config.path) });
}

/** Lists routes in the document without serving them: a feature that is off on this server but part of the contract. */
export function declareUnserved(app: Pick<OpenAPIHono, 'openAPIRegistry'>, routes: RouteConfig[]): void {
  for (const { middleware: _servedOnly, hide: _hidden, ...route } of routes) app.openAPIRegistry.registerPath(route);
}
