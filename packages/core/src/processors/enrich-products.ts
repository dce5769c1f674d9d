import { validateSkuRef } from '../products/validate-product';
import { failureAt, type Processor } from './processor';

/** Minimal enrichment: the product must exist; records when it was enriched. */
export const enrichProducts: Processor = async (chunk, { products, now }) => {
  const failures = [];
  const enrichedAt = now().toISOString();
  for (const [offset, item] of chunk.items.entries()) {
    const ref = validateSkuRef(item);
    if (!ref.ok) {
      failures.push(failureAt(chunk, offset, ref.reason));
      continue;
    }
    const found = await products.update(chunk.tenantId, ref.value.sku, { enrichedAt });
    if (!found) failures.push(failureAt(chunk, offset, 'sku: product not found'));
  }
  return failures;
};
