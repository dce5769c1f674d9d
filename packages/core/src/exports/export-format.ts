import type { ExportFormat } from '../jobs/chunk';
import { csvLine } from '../csv/write-csv';
import { PRODUCT_CSV_COLUMNS, productToCells } from '../products/product-csv';
import type { Product } from '../ports';

/** Enrichment output exported beside the product's own fields. */
const ENRICHMENT_COLUMNS = ['slug', 'seoTitle', 'metaDescription', 'inferredCategory', 'completeness'] as const;

export const EXPORT_CSV_COLUMNS = [...PRODUCT_CSV_COLUMNS, ...ENRICHMENT_COLUMNS, 'updatedAt'];

export const exportContentType = (format: ExportFormat) =>
  format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';

export const exportHeader = (format: ExportFormat) => (format === 'csv' ? csvLine(EXPORT_CSV_COLUMNS) : '');

/** One exported row: a CSV line, or one JSON object per line. No tenant or bookkeeping fields. */
export function exportRow(product: Product, format: ExportFormat): string {
  const { tenantId, importedBy, importChange, enrichment, ...fields } = product;
  const enriched = (enrichment ?? {}) as Record<string, unknown>;
  if (format === 'jsonl') {
    const { enrichedBy, ...publicEnrichment } = enriched;
    return `${JSON.stringify(enrichment ? { ...fields, enrichment: publicEnrichment } : fields)}\n`;
  }
  return csvLine(productToCells({ ...enriched, ...fields }, EXPORT_CSV_COLUMNS));
}

/** Where export parts and the joined file live. */
export const exportPartKey = (tenantId: string, jobId: string, n: number) =>
  `exports/${tenantId}/${jobId}/parts/${String(n).padStart(7, '0')}`;
export const exportFileKey = (tenantId: string, jobId: string, format: ExportFormat) =>
  `exports/${tenantId}/${jobId}/export.${format}`;
