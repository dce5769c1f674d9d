import type { Product } from '../ports';
import { validateProduct } from '../products/validate-product';
import { failureAt, type Processor } from './processor';

/** Validates each product and upserts the valid ones in batches. */
export const importProducts: Processor = async (chunk, { products, now }) => {
  const failures = [];
  // Last one wins when a chunk names a SKU twice, as it would with sequential writes.
  const valid = new Map<string, Product>();
  const updatedAt = now().toISOString();
  for (const [offset, item] of chunk.items.entries()) {
    const result = validateProduct(item);
    if (!result.ok) {
      failures.push(failureAt(chunk, offset, result.reason));
      continue;
    }
    valid.set(result.value.sku, { ...result.value, tenantId: chunk.tenantId, updatedAt });
  }
  await products.putMany([...valid.values()]);
  return failures;
};
