import { isUnreadable } from '../jobs/chunk';
import type { Failure, Product } from '../ports';
import { mergeProduct, type ImportChange } from '../products/merge-product';
import type { ProductInput } from '../products/product-schema';
import { validateProduct } from '../products/validate-product';
import { failureAt, type Processor } from './processor';

/**
 * Validates each product and upserts the valid ones: one BatchGetItem to see
 * what exists, BatchWriteItem for what changed, nothing for what did not.
 * A dry run computes the same result and writes nothing.
 */
export const importProducts: Processor = async (chunk, { products, now }) => {
  const failures: Failure[] = [];
  const valid: ProductInput[] = [];
  for (const [offset, item] of chunk.items.entries()) {
    const result = isUnreadable(item) ? { ok: false as const, reason: item.$error } : validateProduct(item);
    if (result.ok) valid.push(result.value);
    else failures.push(failureAt(chunk, offset, result.reason));
  }

  const current = await products.getMany(chunk.tenantId, valid.map((p) => p.sku));
  const counts: Record<ImportChange, number> = { created: 0, updated: 0, unchanged: 0 };
  const writes = new Map<string, Product>();
  const importedBy = `${chunk.jobId}#${chunk.n}`;
  const timestamp = now().toISOString();
  // In order, so a SKU named twice in a chunk ends as its last version, as sequential writes would.
  for (const input of valid) {
    const { product, change } = mergeProduct(current.get(input.sku), input, chunk.tenantId, importedBy, timestamp);
    counts[change]++;
    current.set(input.sku, product);
    if (change !== 'unchanged') writes.set(input.sku, product);
  }
  if (!chunk.options?.dryRun) await products.putMany([...writes.values()]);
  return { failures, counts };
};
