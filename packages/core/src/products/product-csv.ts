import { PRODUCT_FIELDS } from './product-fields';

/** Columns of product CSV files, as exported and as downloaded failures. */
export const PRODUCT_CSV_COLUMNS = PRODUCT_FIELDS;

/** Enrichment output in export files; ignored when such a file is imported again (enrichment recomputes it). */
export const ENRICHMENT_COLUMNS = ['slug', 'seoTitle', 'metaDescription', 'inferredCategory', 'completeness'] as const;
/** Columns an import ignores, so an exported file imports back as the same product data. */
const IGNORED_ON_IMPORT = new Set<string>([...ENRICHMENT_COLUMNS, 'updatedAt', 'createdAt']);

const LIST_FIELDS = new Set(['tags', 'images']);
const NUMBER_FIELDS = new Set(['price', 'inventory']);
export const LIST_SEPARATOR = '|';

/**
 * A CSV row as a product object. Empty cells are left out; numbers that parse
 * become numbers (anything else stays text, so validation names the field);
 * tags and images are split on "|"; `attributes` is a JSON object and
 * `attr:<name>` columns add single attributes; columns starting with "_"
 * (such as _reason in a failures file) and the enrichment columns of an
 * export file are ignored.
 */
export function rowToProduct(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const product: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const value = fields[i]?.trim() ?? '';
    if (value === '' || column === '' || column.startsWith('_') || IGNORED_ON_IMPORT.has(column)) return;
    if (column.startsWith('attr:')) {
      const attributes = (product.attributes ??= {}) as Record<string, unknown>;
      if (typeof attributes === 'object') attributes[column.slice(5)] = value;
    } else if (NUMBER_FIELDS.has(column)) {
      product[column] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    } else if (LIST_FIELDS.has(column)) {
      product[column] = value.split(LIST_SEPARATOR).map((part) => part.trim()).filter(Boolean);
    } else if (column === 'attributes') {
      const parsed = parseJsonObject(value);
      product.attributes = parsed ? { ...parsed, ...(product.attributes as object | undefined) } : value;
    } else {
      product[column] = value;
    }
  });
  return product;
}

/** A product as CSV cells, in `columns` order. */
export function productToCells(product: Record<string, unknown>, columns: readonly string[]): unknown[] {
  return columns.map((column) => {
    const value = product[column];
    if (LIST_FIELDS.has(column) && Array.isArray(value)) return value.join(LIST_SEPARATOR);
    return value;
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
