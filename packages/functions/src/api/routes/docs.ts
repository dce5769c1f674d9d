import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { renderDocsHtml } from '@merchantops/functions/api/docs/docs-html';
import { html, noAuth, type OpenApiDocument } from '@merchantops/functions/api/docs/openapi';
import { PAGE_SECURITY_HEADERS } from './web';

const openApiJson = createRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'openApi',
  summary: 'This document',
  tags: ['Service'],
  ...noAuth,
  responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.object({}).passthrough() } } } },
});

const docsPage = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'docs',
  summary: 'This document as a readable page',
  tags: ['Service'],
  ...noAuth,
  responses: { 200: html('HTML') },
});

/**
 * The OpenAPI document (generated from the app's route declarations) and a
 * readable page of it. No API key needed. `document` is called at the first
 * request, once every route of the app is declared.
 */
export function docsRoutes(document: () => OpenApiDocument) {
  const routes = new OpenAPIHono();
  let page: string | undefined;
  routes.openapi(openApiJson, (c) =>
    // The server is wherever this answer came from (npm start, the API Gateway URL).
    c.json({ ...document(), servers: [{ url: new URL(c.req.url).origin }] }, 200, { 'Cache-Control': 'no-cache' }),
  );
  routes.openapi(docsPage, (c) => {
    page ??= renderDocsHtml(document());
    return c.html(page, 200, { ...PAGE_SECURITY_HEADERS, 'Cache-Control': 'no-cache' });
  });
  return routes;
}
