import { Hono, type Context } from 'hono';
import { webAssets, type WebAsset } from '@merchantops/web/assets.generated';
import { notFound } from '@merchantops/core/shared/errors';

/**
 * The Jobs page (packages/web): `/` and its content-hashed assets, served
 * from the bundle itself. Needs no API key: the page asks for one and sends
 * it with every API request.
 */
export function webRoutes() {
  const routes = new Hono();
  routes.get('/', (c) => serve(c, webAssets['/']));
  routes.get('/assets/:file', (c) => {
    const asset = webAssets[`/assets/${c.req.param('file')}`];
    if (!asset) throw notFound(`no asset ${c.req.param('file')}`);
    return serve(c, asset);
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
