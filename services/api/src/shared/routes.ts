import { routeBuilders } from '@stammtisch/contract/http';
import { jsonBody } from '@stammtisch/http';

/**
 * The api's route builders: a route declared with a JSON body gets `jsonBody()` before its
 * schema (413 over 64 KiB, 415 not JSON, 400 invalid_json), as every api body always has.
 * Handed in here because @stammtisch/contract, where the builders live, cannot import it.
 */
export const { routes, keyRoutes } = routeBuilders({ bodyGuard: jsonBody() });
