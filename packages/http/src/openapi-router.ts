import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { detailsFromZod, invalidRequest } from './errors.js';

/**
 * A router whose routes are declared with `createRoute` (method, path,
 * request schemas, responses, summary): the routes validate with those
 * schemas and `/openapi.json` is generated from the same declarations, so
 * the document cannot drift from what is served.
 *
 * A request that fails its schema answers like the rest of the API:
 * 400 invalid_request naming every failing field.
 */
export function openApiRouter<E extends Env = Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(detailsFromZod(result.error));
    },
  });
}
