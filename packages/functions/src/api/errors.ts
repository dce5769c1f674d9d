import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '@merchantops/core/shared/errors';
import { log } from '../shared/log';
import { invalid } from './read-json';

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export function sendError(c: Context, error: AppError) {
  if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
  return c.json(errorBody(error.code, error.message), error.status as ContentfulStatusCode);
}

/** Every error leaves as {"error":{"code","message"}}; only our own bugs are 500s. */
export function onError(error: Error, c: Context) {
  if (error instanceof AppError) return sendError(c, error);
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(errorBody('bad_request', error.message || 'bad request'), error.status);
  }
  // The route pattern, not the path (which may hold a SKU); the request id comes from the log context.
  log('error', 'unhandled error', {
    method: c.req.method,
    route: routePath(c, -1),
    tenantId: c.get('tenantId'),
    error: String(error?.stack ?? error),
  });
  return c.json(errorBody('internal', 'internal error'), 500);
}

const WHERE: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'headers' };

/**
 * The defaultHook of the routes' validators: a request the route's schemas
 * reject is a 400 in the usual shape, its message naming the first field
 * (`limit: must be a whole number from 1 to 100`).
 */
export function validationHook(result: { success: boolean; error?: unknown; target: string }, _c: Context) {
  if (!result.success) throw invalid(result.error as ZodError, WHERE[result.target] ?? result.target);
}
