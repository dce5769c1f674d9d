import { enrichProduct } from '../enrichment/enrich-product';
import { canonical } from '../products/merge-product';
import { validateSkuRef } from '../products/validate-product';
import type { Failure, Product } from '../ports';
import { failureAt, type Processor } from './processor';

/**
 * Applies the enrichment rules to each named product. Products whose
 * enrichment would not change are not written, so enriching twice leaves the
 * product exactly as it was (enrichedAt included).
 */
export const enrichProducts: Processor = async (chunk, { products, now }) => {
  const failures: Failure[] = [];
  const refs = chunk.items.map(validateSkuRef);
  const found = await products.getMany(chunk.tenantId, refs.flatMap((ref) => (ref.ok ? [ref.value.sku] : [])));
  const writes = new Map<string, Product>();
  const counts = { enriched: 0, unchanged: 0 };
  const enrichedBy = `${chunk.jobId}#${chunk.n}`;
  for (const [offset, ref] of refs.entries()) {
    if (!ref.ok) {
      failures.push(failureAt(chunk, offset, ref.reason));
      continue;
    }
    const product = writes.get(ref.value.sku) ?? found.get(ref.value.sku);
    if (!product) {
      failures.push(failureAt(chunk, offset, 'sku: product not found'));
      continue;
    }
    const enrichment = enrichProduct(product);
    const { enrichedAt, enrichedBy: lastBy, ...previous } = (product.enrichment ?? {}) as Record<string, unknown>;
    if (canonical(previous) === canonical(enrichment)) {
      // A re-run of the chunk that wrote it reports what that run did.
      counts[lastBy === enrichedBy ? 'enriched' : 'unchanged']++;
      continue;
    }
    counts.enriched++;
    writes.set(ref.value.sku, { ...product, enrichment: { ...enrichment, enrichedAt: now().toISOString(), enrichedBy } });
  }
  await products.putMany([...writes.values()]);
  return { failures, counts };
};
