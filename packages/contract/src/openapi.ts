import { type OpenAPIHono, type RouteConfig, createRoute } from '@hono/zod-openapi';
import { type ZodType, z } from 'zod';

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
      if (Number(status) >= 400)
        return [status, { description, content: { 'application/json': { schema: ErrorBody } } }];
      if (produces && status === '200')
        return [
          status,
          {
            description,
            content: Object.fromEntries(produces.map((type) => [type, { schema: { type: 'string' as const } }])),
          },
        ];
      return [status, { description }];
    }),
  );
}

/** The stable operationId of a method and OpenAPI path (links in the README and clients use it). */
export function operationIdOf(method: string, path: string): string {
  return `${method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
}

/**
 * Error answers of a route, by status, each described by its error code(s):
 * `errorResponses({ 404: 'site_not_found', 409: 'conflict (id taken)' })`.
 */
export function errorResponses<Status extends number>(descriptions: Record<Status, string>) {
  const responses = {} as Record<
    Status,
    { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }
  >;
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
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string' as const } }])),
  };
}

/** `createRoute` with the operation id derived from method and path (unless one is given). */
export function declareRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(config: R) {
  return createRoute({ ...config, operationId: config.operationId ?? operationIdOf(config.method, config.path) });
}

/** `createRoute` for one section of the reference: the tag is held once, each declaration says only what is its own. */
export function taggedRoutes(tag: string) {
  return <P extends string, R extends Omit<RouteConfig, 'tags' | 'path'> & { path: P }>(config: R) =>
    createRoute({ tags: [tag], ...config });
}

type Declared = Omit<RouteConfig, 'path'>;

/**
 * A declaration builder for one feature's key-authorised routes: the tag and
 * `KEY_AUTH` are held once, so each declaration says only what is its own.
 */
export function keyRoutes(tag: string) {
  return <P extends string, R extends Omit<Declared, 'tags' | 'security'> & { path: P }>(config: R) =>
    declareRoute({ tags: [tag], security: KEY_AUTH, ...config });
}

/** The `{id}` of the resource a route is about; the handlers check it themselves (an unknown one is 404, never 400). */
const IdParams = z.object({ id: z.string() });
type Request = Omit<NonNullable<RouteConfig['request']>, 'params'>;
type ByIdRequest<R> = { params: typeof IdParams } & (R extends { request: infer Q } ? Q : unknown);

/**
 * Like `keyRoutes`, for routes about one resource by its `{id}` (a site, a
 * webhook, a comment): the id parameter is filled in as well.
 */
export function keyRoutesById(tag: string) {
  const declare = keyRoutes(tag);
  return <P extends string, R extends Omit<Declared, 'tags' | 'security' | 'request'> & { path: P; request?: Request }>(
    config: R,
  ) => declare({ ...config, request: { params: IdParams, ...config.request } as ByIdRequest<R> });
}

/** Lists routes in the document without serving them: a feature that is off on this server but part of the contract. */
export function declareUnserved(app: Pick<OpenAPIHono, 'openAPIRegistry'>, routes: RouteConfig[]): void {
  for (const { middleware: _servedOnly, hide: _hidden, ...route } of routes) app.openAPIRegistry.registerPath(route);
}
