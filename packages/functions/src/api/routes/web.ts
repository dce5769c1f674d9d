import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { webAssets, type WebAsset } from '@merchantops/web/assets.generated';
import { notFound } from '@merchantops/core/shared/errors';
import { errors, html, noAuth } from '../docs/openapi';

const page = createRoute({
  method: 'get',
  path: '/',
  operationId: 'jobsPage',
  summary: 'The Jobs page',
  description: 'Sign in with an API key; the page keeps it for the browser session only.',
  tags: ['Jobs page'],
  ...noAuth,
  responses: { 200: html('HTML') },
});

const asset = createRoute({
  method: 'get',
  path: '/assets/{file}',
  operationId: 'jobsPageAsset',
  summary: 'Script and styles of the Jobs page',
  tags: ['Jobs page'],
  ...noAuth,
  request: { params: z.object({ file: z.string() }) },
  responses: { 200: { description: 'the file' }, 304: { description: 'not modified' }, ...errors(404) },
});

/**
 * The Jobs page (packages/web): `/` and its content-hashed assets, served
 * from the bundle itself. Needs no API key: the page asks for one and sends
 * it with every API request.
 */
export function webRoutes() {
  const routes = new OpenAPIHono();
  routes.openapi(page, (c) => serve(c, webAssets['/']));
  routes.openapi(asset, (c) => {
    const { file } = c.req.valid('param');
    const found = webAssets[`/assets/${file}`];
    if (!found) throw notFound(`no asset ${file}`);
    return serve(c, found);
  });
  return routes;
}

/** Security headers for pages this app serves: nothing from elsewhere may run or frame it. */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

function serve(c: Context, asset: WebAsset) {
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    ETag: asset.etag,
    'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...PAGE_SECURITY_HEADERS,
  };
  if (c.req.header('if-none-match')?.split(/\s*,\s*/).includes(asset.etag)) return c.body(null, 304, headers);
  return c.body(asset.body, 200, headers);
}
