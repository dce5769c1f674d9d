import { z } from 'zod';

const requiredOr = (message: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : message;

export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const skuSchema = z
  .string({ error: requiredOr('must be a string') })
  .regex(SKU_PATTERN, 'must be 1-64 characters of letters, digits, ".", "_" or "-"');

/**
 * An imported product. Required fields are checked; any other field is kept
 * as given. The rules are listed in the README ("Product fields").
 */
export const productInputSchema = z.looseObject({
  sku: skuSchema,
  title: z
    .string({ error: requiredOr('must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters'),
  price: z
    .number({ error: requiredOr('must be a number ≥ 0') })
    .min(0, 'must be a number ≥ 0'),
  currency: z
    .string({ error: 'must be a 3-letter currency code' })
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code')
    .transform((code) => code.toUpperCase())
    .default('USD'),
});

export type ProductInput = z.output<typeof productInputSchema>;

/** Enrichment and export items name a product by SKU. */
export const skuRefSchema = z.looseObject({ sku: skuSchema });
