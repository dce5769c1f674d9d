import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { except } from 'hono/combine';
import type { Deps } from '@merchantops/core/deps';
import { requireApiKey, type AuthEnv } from './auth';
import { conditionalGet, downloadLinksAsJson } from './client-middleware';
import { errorBody, onError, validationHook } from './errors';
import { json, noAuth, openApiDocument, responses } from './docs/openapi';
import { requestLog } from '../shared/request-log';
import { jobRoutes } from './routes/jobs';
import { docsRoutes } from './routes/docs';
import { productRoutes } from './routes/products';
import { uploadRoutes } from './routes/uploads';
import { webRoutes } from './routes/web';
import { webhookRoutes } from './routes/webhooks';

/** Lambda's synchronous payload limit; larger requests never reach us in AWS either. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

const health = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  summary: 'Liveness',
  tags: ['Service'],
  ...noAuth,
  responses: { 200: json(responses.Health, 'up') },
});

/**
 * The API. Every route is declared once with createRoute (routes/*.ts): its
 * schemas validate the request (validationHook turns a rejection into the
 * usual 400) and make its entry in the OpenAPI document.
 */
export function createApi(deps: Deps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.use(requestLog()); // first, so it wraps every route
  app.onError(onError);
  app.notFound((c) => c.json(errorBody('not_found', `no route for ${c.req.method} ${c.req.path}`), 404));
  app.openapi(health, (c) => c.json({ ok: true as const }, 200));
  app.route('/', webRoutes()); // the Jobs page
  app.route('/', docsRoutes(() => openApiDocument(app))); // /openapi.json, /docs

  // Webhooks carry a signature instead of an API key.
  app.use('/v1/*', except('/v1/webhooks/*', requireApiKey(deps.keys)));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(errorBody('payload_too_large', `request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`), 413),
    }),
  );
  // Polling clients revalidate with If-None-Match (ETag/304); downloads answer JSON links to fetch() callers.
  app.use('/v1/jobs', conditionalGet());
  app.use('/v1/jobs/:id', conditionalGet());
  app.use('/v1/*', downloadLinksAsJson());
  app.route('/v1/jobs', jobRoutes(deps));
  app.route('/v1/products', productRoutes(deps));
  app.route('/v1/uploads', uploadRoutes(deps));
  app.route('/v1/webhooks', webhookRoutes(deps));
  return app;
}
