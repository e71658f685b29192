import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { detailsFromZod, invalidRequest } from './errors.js';

/**
 * `zValidator` that answers like the rest of the API: 400 invalid_request
 * with every failing field by path.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends z.ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(detailsFromZod(result.error));
  });
}
