/**
 * The documented fields, in the order exports and CSV files use. Apart from the zod schemas, so the CLI
 * names them without loading zod when it starts.
 */
export const PRODUCT_FIELDS = [
  'sku',
  'title',
  'description',
  'price',
  'currency',
  'brand',
  'category',
  'tags',
  'images',
  'attributes',
  'inventory',
] as const;
