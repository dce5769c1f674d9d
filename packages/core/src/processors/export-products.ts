import { validateSkuRef } from '../products/validate-product';
import { failureAt, type Processor } from './processor';

/** Minimal export: every named product must exist (the file itself comes later). */
export const exportProducts: Processor = async (chunk, { products }) => {
  const failures = [];
  const refs = chunk.items.map(validateSkuRef);
  const skus = refs.flatMap((ref) => (ref.ok ? [ref.value.sku] : []));
  const found = await products.getMany(chunk.tenantId, skus);
  for (const [offset, ref] of refs.entries()) {
    if (!ref.ok) failures.push(failureAt(chunk, offset, ref.reason));
    else if (!found.has(ref.value.sku)) failures.push(failureAt(chunk, offset, 'sku: product not found'));
  }
  return failures;
};
