import { type OpenAPIHono, type RouteConfig, createRoute } from '@hono/zod-openapi';
import { type ZodType, z } from 'zod';

/**
 * How routes are declared (`createRoute` from @hono/zod-openapi), shared by
 * ingest and the api so every operation in `/openapi.json` reads alike: the
 * same tags, error body and key security, held once by a section's builder
 * (`routes(tag)`, `keyRoutes(tag)`), so each declaration says only what is its own.
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

/** The stable operationId of a method and OpenAPI path (links in the README and clients use it). */
export function operationIdOf(method: string, path: string): string {
  return `${method}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
}

type Answer = RouteConfig['responses'][number];
type RequestBody = NonNullable<NonNullable<RouteConfig['request']>['body']>;
/** A zod object (maybe refined): what a route's path parameters and query are checked with. */
type ObjectSchema = NonNullable<NonNullable<RouteConfig['request']>['query']>;
type Middleware = NonNullable<RouteConfig['middleware']>;

/** An answer that is not JSON (a file, a feed, a page, an event stream). */
export function fileResponse(description: string, mediaTypes: string[]) {
  return {
    description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string' as const } }])),
  };
}

/** What one route declares of its own; its section's builder adds the method, tag, security and body guard. */
export interface Declaration {
  description?: string;
  /** Path parameters with rules of their own; without, every `{name}` of the path is a string the handler checks (an unknown id is 404, never 400). */
  params?: ObjectSchema;
  query?: ObjectSchema;
  /** A JSON body as `{ SchemaName }`: checked by the schema, listed under that name in components.schemas. */
  body?: Record<string, ZodType>;
  /** Status → description; a 4xx/5xx carries the Error body. An answer object where one is of its own kind (an HTML page). */
  answers: Record<number, string | Answer>;
  /** The media types of a 200 that is not JSON (a feed, a page, a script, an event stream). */
  produces?: string[];
  /** What the document lists but no schema checks, because the handler reads it itself (a streamed file, a form). */
  unchecked?: { body?: RequestBody; parameters?: RouteConfig['parameters'] };
}

type Absent = Record<never, never>;
/** The `{name}`s of an OpenAPI path. */
type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParamNames<Rest>
  : never;
type Params<P extends string, D> = D extends { params: infer S extends ObjectSchema }
  ? { params: S }
  : [PathParamNames<P>] extends [never]
    ? Absent
    : { params: z.ZodObject<{ [Name in PathParamNames<P>]: z.ZodString }> };
type Query<D> = D extends { query: infer S extends ObjectSchema } ? { query: S } : Absent;
type Body<D> = D extends { body: Record<string, infer S extends ZodType> }
  ? { body: { required: true; content: { 'application/json': { schema: S } } } }
  : D extends { unchecked: { body: infer B extends RequestBody } }
    ? { body: B }
    : Absent;

/** The declared route, typed so `c.req.valid('param' | 'query' | 'json')` in its handler knows the schemas. */
type Declared<M extends string, P extends string, D> = {
  method: M;
  path: P;
  tags: string[];
  summary: string;
  description?: string;
  security?: typeof KEY_AUTH;
  parameters?: RouteConfig['parameters'];
  middleware?: Middleware;
  request: Params<P, D> & Query<D> & Body<D>;
  responses: Record<number, Answer>;
} & { getRoutingPath(): string };

/** The answers as the document shows them: 4xx/5xx with the Error body, a 200 with `produces` as that content. */
function responsesOf({ answers, produces }: Declaration): Record<number, Answer> {
  const answer = (status: number, description: string): Answer => {
    if (status >= 400) return { description, content: { 'application/json': { schema: ErrorBody } } };
    if (status === 200 && produces) return fileResponse(description, produces);
    return { description };
  };
  return Object.fromEntries(
    Object.entries(answers).map(([status, given]) => [
      status,
      typeof given === 'string' ? answer(Number(status), given) : given,
    ]),
  );
}

function requestOf(path: string, { params, query, body, unchecked }: Declaration) {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name as string);
  const [json, ...more] = Object.entries(body ?? {});
  // A route has one body; a second name is a slip that would otherwise vanish from the document.
  if (more.length > 0) throw new Error(`${path}: name one body schema, not ${Object.keys(body ?? {}).join(', ')}`);
  return {
    ...(params
      ? { params }
      : names.length > 0 && { params: z.object(Object.fromEntries(names.map((name) => [name, z.string()]))) }),
    ...(query && { query }),
    ...(json
      ? { body: { required: true, content: { 'application/json': { schema: json[1].openapi(json[0]) } } } }
      : unchecked?.body && { body: unchecked.body }),
  };
}

interface Section {
  tag: string;
  security?: typeof KEY_AUTH;
  /** Runs before a JSON body's schema on every route that has one. */
  bodyGuard?: Middleware;
}

function sectionRoutes(section: Section) {
  const declare =
    <M extends 'get' | 'post' | 'patch' | 'delete'>(method: M) =>
    <P extends string, D extends Declaration>(path: P, summary: string, declaration: D): Declared<M, P, D> => {
      const { description, body, unchecked } = declaration;
      const route = createRoute({
        method,
        path,
        tags: [section.tag],
        ...(section.security && { security: section.security }),
        summary,
        ...(description !== undefined && { description }),
        ...(unchecked?.parameters && { parameters: unchecked.parameters }),
        ...(body && section.bodyGuard && { middleware: section.bodyGuard }),
        request: requestOf(path, declaration),
        responses: responsesOf(declaration),
      });
      // The request parts are assembled at run time; their types are the declaration's, worked out in `Declared`.
      return route as unknown as Declared<M, P, D>;
    };
  return { get: declare('get'), post: declare('post'), patch: declare('patch'), delete: declare('delete') };
}

/**
 * The builders of a service's routes by section: `routes(TAGS.reads).get(path, summary, { answers })`,
 * `keyRoutes(TAGS.moderation)` for routes that need a key. `bodyGuard` is the middleware that
 * guards a JSON body before its schema (@stammtisch/http's `jsonBody()`, which this package
 * cannot import); a service that guards bodies its own way leaves it out.
 */
export function routeBuilders(options: { bodyGuard?: Middleware } = {}) {
  return {
    routes: (tag: string) => sectionRoutes({ tag, ...options }),
    keyRoutes: (tag: string) => sectionRoutes({ tag, security: KEY_AUTH, ...options }),
  };
}

/** Lists routes in the document without serving them: a feature that is off on this server but part of the contract. */
export function declareUnserved(app: Pick<OpenAPIHono, 'openAPIRegistry'>, routes: RouteConfig[]): void {
  for (const { middleware: _servedOnly, hide: _hidden, ...route } of routes) app.openAPIRegistry.registerPath(route);
}
