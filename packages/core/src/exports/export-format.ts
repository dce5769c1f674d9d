import type { ExportFormat } from '../jobs/job';
import { csvLine } from '../csv/write-csv';
import { ENRICHMENT_COLUMNS, PRODUCT_CSV_COLUMNS, productToCells } from '../products/product-csv';
import { productView } from '../products/merge-product';
import type { Product } from '../ports';

export const EXPORT_CSV_COLUMNS = [...PRODUCT_CSV_COLUMNS, ...ENRICHMENT_COLUMNS, 'updatedAt'];

export const exportContentType = (format: ExportFormat) =>
  format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';

export const exportHeader = (format: ExportFormat) => (format === 'csv' ? csvLine(EXPORT_CSV_COLUMNS) : '');

/** One exported row: a CSV line, or one JSON object per line. No tenant or bookkeeping fields. */
export function exportRow(product: Product, format: ExportFormat): string {
  const view = productView(product);
  if (format === 'jsonl') return `${JSON.stringify(view)}\n`;
  // Only the listed enrichment columns come from the enrichment (its tags never fill the product's own).
  const enriched = (view.enrichment ?? {}) as Record<string, unknown>;
  const enrichmentCells = Object.fromEntries(ENRICHMENT_COLUMNS.map((column) => [column, enriched[column]]));
  return csvLine(productToCells({ ...view, ...enrichmentCells }, EXPORT_CSV_COLUMNS));
}

/** Where export parts and the joined file live. */
export const exportPartKey = (tenantId: string, jobId: string, n: number) =>
  `exports/${tenantId}/${jobId}/parts/${String(n).padStart(7, '0')}`;
export const exportFileKey = (tenantId: string, jobId: string, format: ExportFormat) =>
  `exports/${tenantId}/${jobId}/export.${format}`;
