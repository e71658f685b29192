import type { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody, INGEST_ROUTES, TAGS, operationIdOf } from '@stammtisch/contract/http';
import type { Env } from 'hono';
import { z } from 'zod';

/**
 * `/openapi.json`, generated from the routes themselves: every route the api
 * mounts is declared (`createRoute`, by a section's builder) next to its handler, and `app.route()`
 * gathers those declarations on the root app. Ingest's public writes come
 * from their declarations in @stammtisch/contract, under ingest's server.
 */

export interface OpenApiOptions {
  /** PUBLIC_INGEST_URL: where the public writes go. */
  ingestUrl?: string;
  /** PUBLIC_API_URL; defaults to the document's own origin. */
  apiUrl?: string;
}

type Operation = { operationId?: string } & Record<string, unknown>;

/** Lists ingest's routes in the api's document, served from PUBLIC_INGEST_URL (call once, on the router that holds the document). */
export function declareIngestRoutes(app: OpenAPIHono<Env>, ingestUrl: string | undefined): void {
  const servers = [{ url: ingestUrl ?? 'http://localhost:8081', description: 'ingest (PUBLIC_INGEST_URL)' }];
  for (const route of INGEST_ROUTES) app.openAPIRegistry.registerPath({ ...route, servers });
}

/** The document of the finished app (build it after every feature is mounted). */
export function buildOpenApiDocument<E extends Env>(app: OpenAPIHono<E>, options: OpenApiOptions = {}) {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Stammtisch API',
      version: '1',
      description:
        'An embeddable comment service. Every 4xx/5xx body is `{"error": {"code", "message", "details"?, "requestId"}}`. Generated from the routes: their paths, the zod schemas they validate with and their declared answers.',
    },
    servers: [{ url: options.apiUrl ?? '/', description: 'api (PUBLIC_API_URL)' }],
    tags: Object.values(TAGS).map((name) => ({ name })),
  });
  const paths = generated.paths as Record<string, Record<string, Operation>>;
  // Every operationId is made here from method and path (declarations carry none), by the formula the
  // hand-written table had, so links into /docs keep working.
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) operation.operationId ??= operationIdOf(method, path);
  }
  const { $schema: _ignored, id: _id, ...error } = z.toJSONSchema(ErrorBody) as Record<string, unknown>;
  return {
    ...generated,
    paths,
    components: {
      ...generated.components,
      schemas: { Error: error, ...generated.components?.schemas },
      securitySchemes: {
        bearerKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An admin, owner or moderator key: `Authorization: Bearer <key>`',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
