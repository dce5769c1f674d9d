import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { skuSchema } from '@merchantops/core/products/product-schema';
import { productView } from '@merchantops/core/products/merge-product';
import { notFound } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import type { AuthEnv } from '../auth';
import { errors, json, responses } from '../docs/openapi';

const get = createRoute({
  method: 'get',
  path: '/{sku}',
  operationId: 'getProduct',
  summary: 'Read a stored product',
  tags: ['Products'],
  request: { params: z.object({ sku: skuSchema }) },
  responses: { 200: json(responses.Product, 'the product'), ...errors(401, 404) },
});

export function productRoutes(deps: Deps) {
  const routes = new OpenAPIHono<AuthEnv>();
  routes.openapi(
    get,
    async (c) => {
      const { sku } = c.req.valid('param');
      const product = await deps.products.get(c.get('tenantId'), sku);
      if (!product) throw notFound(`product ${sku} not found`);
      return c.json(productView(product), 200);
    },
    // No product can have a SKU that breaks the rules: it is not found, like any other.
    (result, c) => {
      if (!result.success) throw notFound(`product ${c.req.param('sku')} not found`);
      return undefined;
    },
  );
  return routes;
}
