import type { Product } from '../ports';
import { DEFAULT_CURRENCY, type ProductInput } from './product-schema';

export type ImportChange = 'created' | 'updated' | 'unchanged';

/** Bookkeeping fields: not product data, so they never make a product "changed". */
const META_FIELDS = new Set(['tenantId', 'createdAt', 'updatedAt', 'importedBy', 'importChange']);

/**
 * Upsert rule: the import replaces the fields it gives and keeps every other
 * field, including enrichment output. `importedBy` (job#chunk) lets a re-run
 * of the same chunk report the change its first run made, so the job's
 * created/updated counts stay exact when a chunk is delivered twice.
 */
export function mergeProduct(
  existing: Product | undefined,
  input: ProductInput,
  tenantId: string,
  importedBy: string,
  now: string,
): { product: Product; change: ImportChange } {
  if (existing?.importedBy === importedBy) {
    return { product: existing, change: (existing.importChange as ImportChange) ?? 'unchanged' };
  }
  if (!existing) {
    const product = { currency: DEFAULT_CURRENCY, ...input, tenantId, createdAt: now, updatedAt: now };
    return { product: { ...product, importedBy, importChange: 'created' }, change: 'created' };
  }
  const merged = { ...existing, ...input, tenantId };
  if (sameData(existing, merged)) return { product: existing, change: 'unchanged' };
  return { product: { ...merged, updatedAt: now, importedBy, importChange: 'updated' }, change: 'updated' };
}

/** A product as the API shows it: its data, without tenant or bookkeeping fields. */
export function productView(product: Record<string, unknown>) {
  const { tenantId, importedBy, importChange, enrichment, ...fields } = product;
  if (!enrichment) return fields;
  const { enrichedBy, ...publicEnrichment } = enrichment as Record<string, unknown>;
  return { ...fields, enrichment: publicEnrichment };
}

function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys and without bookkeeping fields, for comparing products. */
export function canonical(value: unknown, top = true): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, false)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([key, v]) => v !== undefined && !(top && META_FIELDS.has(key)))
      .sort(([x], [y]) => (x < y ? -1 : 1));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v, false)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
