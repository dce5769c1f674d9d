import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '@merchantops/core/shared/errors';

export const errorBody = (code: string, message: string) => ({ error: { code, message } });

export function sendError(c: Context, error: AppError) {
  return c.json(errorBody(error.code, error.message), error.status as ContentfulStatusCode);
}

/** Every error leaves as {"error":{"code","message"}}; only our own bugs are 500s. */
export function onError(error: Error, c: Context) {
  if (error instanceof AppError) return sendError(c, error);
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(errorBody('bad_request', error.message || 'bad request'), error.status);
  }
  console.error(
    JSON.stringify({ level: 'error', message: 'unhandled error', path: c.req.path, error: String(error?.stack ?? error) }),
  );
  return c.json(errorBody('internal', 'internal error'), 500);
}
