import { Hono } from 'hono';
import { renderDocsHtml } from '@merchantops/functions/api/docs/docs-html';
import { openApiDocument } from '@merchantops/functions/api/docs/openapi';
import { PAGE_SECURITY_HEADERS } from './web';

/** The OpenAPI document (generated from the request schemas) and a readable page of it. No API key needed. */
export function docsRoutes() {
  const routes = new Hono();
  let html: string | undefined;
  routes.get('/openapi.json', (c) => {
    const document = openApiDocument();
    // The server is wherever this answer came from (npm start, the API Gateway URL).
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] }, 200, { 'Cache-Control': 'no-cache' });
  });
  routes.get('/docs', (c) => {
    html ??= renderDocsHtml(openApiDocument());
    return c.html(html, 200, { ...PAGE_SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
  });
  return routes;
}
