import { Hono } from 'hono';
import { SKU_PATTERN } from '@merchantops/core/products/product-schema';
import { productView } from '@merchantops/core/products/merge-product';
import { notFound } from '@merchantops/core/shared/errors';
import type { Deps } from '@merchantops/core/deps';
import type { AuthEnv } from '../auth';

export function productRoutes(deps: Deps) {
  const routes = new Hono<AuthEnv>();
  routes.get('/:sku', async (c) => {
    const sku = c.req.param('sku');
    const product = SKU_PATTERN.test(sku) ? await deps.products.get(c.get('tenantId'), sku) : undefined;
    if (!product) throw notFound(`product ${sku} not found`);
    return c.json(productView(product));
  });
  return routes;
}
