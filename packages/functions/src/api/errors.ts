import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '@merchantops/core/shared/errors';
import { log } from '../shared/log';

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
