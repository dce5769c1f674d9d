import { exportPartKey, exportRow } from '../exports/export-format';
import { validateSkuRef } from '../products/validate-product';
import type { Failure } from '../ports';
import { failureAt, type Processor } from './processor';

/**
 * Writes the chunk's part of the export file: one row per product found, in
 * item order. Overwriting the same part makes a re-run harmless.
 */
export const exportProducts: Processor = async (chunk, { products, files }) => {
  const format = chunk.options?.format ?? 'csv';
  const failures: Failure[] = [];
  const refs = chunk.items.map(validateSkuRef);
  const found = await products.getMany(chunk.tenantId, refs.flatMap((ref) => (ref.ok ? [ref.value.sku] : [])));
  let part = '';
  for (const [offset, ref] of refs.entries()) {
    const product = ref.ok ? found.get(ref.value.sku) : undefined;
    if (!ref.ok) failures.push(failureAt(chunk, offset, ref.reason));
    else if (!product) failures.push(failureAt(chunk, offset, 'sku: product not found'));
    else part += exportRow(product, format);
  }
  await files.write(exportPartKey(chunk.tenantId, chunk.jobId, chunk.n), part, 'application/octet-stream');
  return { failures, counts: { rows: refs.length - failures.length } };
};
