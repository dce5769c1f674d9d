import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { errorText } from '@merchantops/core/shared/errors';
import { log, withLogContext } from './log';

/** What hono/aws-lambda passes as the app's env; absent when the app runs on Node locally. */
interface LambdaBindings {
  lambdaContext?: { awsRequestId?: string };
}

/**
 * One log line per API request, and the request id on every line written while
 * it runs (Lambda's awsRequestId; locally a generated "local-..." id).
 *
 * The line names the route pattern (`/v1/products/:sku`), not the path, so a
 * SKU never reaches the log; headers, query and body are never logged, so
 * neither do API keys or product data. 5xx answers are logged as errors.
 */
export function requestLog(): MiddlewareHandler<{ Variables: { tenantId: string } }> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = (c.env as LambdaBindings | undefined)?.lambdaContext?.awsRequestId ?? `local-${randomUUID()}`;
    await withLogContext({ requestId }, async () => {
      await next();
      const status = c.res.status;
      log(status >= 500 ? 'error' : 'info', 'request', {
        method: c.req.method,
        route: routePath(c, -1),
        status,
        durationMs: Math.round(performance.now() - started),
        tenantId: c.get('tenantId'),
        ...(status >= 500 && c.error ? { error: errorText(c.error) } : {}),
      });
    });
  };
}
