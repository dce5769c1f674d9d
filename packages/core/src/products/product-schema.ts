import { z } from 'zod';

const requiredOr = (message: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : message;

export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const skuSchema = z
  .string({ error: requiredOr('must be a string') })
  .regex(SKU_PATTERN, 'must be 1-64 characters of letters, digits, ".", "_" or "-"');

const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().max(max, `must be at most ${max} characters`);

const httpUrl = z
  .string({ error: 'must be an http(s) URL' })
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/**
 * An imported product. The rules are listed in docs/api.md ("Product fields");
 * any other field is kept as given.
 */
export const productInputSchema = z.looseObject({
  sku: skuSchema,
  title: z
    .string({ error: requiredOr('must be a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters'),
  description: text(5000).optional(),
  price: z
    .number({ error: requiredOr('must be a number ≥ 0') })
    .min(0, 'must be a number ≥ 0'),
  currency: z
    .string({ error: 'must be a 3-letter currency code' })
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter currency code')
    .transform((code) => code.toUpperCase())
    .optional(),
  brand: text(100).optional(),
  category: text(200).optional(),
  tags: z
    .array(text(50).min(1, 'must not be empty'), { error: 'must be a list of strings' })
    .max(50, 'must have at most 50 tags')
    .optional(),
  images: z.array(httpUrl, { error: 'must be a list of http(s) URLs' }).max(20, 'must have at most 20 images').optional(),
  attributes: z
    .record(z.string(), z.string({ error: 'values must be strings' }), { error: 'must be an object of strings' })
    .refine((value) => Object.keys(value).length <= 100, 'must have at most 100 entries')
    .optional(),
  inventory: z
    .number({ error: 'must be a whole number ≥ 0' })
    .int('must be a whole number ≥ 0')
    .min(0, 'must be a whole number ≥ 0')
    .optional(),
});

export type ProductInput = z.output<typeof productInputSchema>;

export const DEFAULT_CURRENCY = 'USD';

/** Enrichment and export items name a product by SKU. */
export const skuRefSchema = z.looseObject({ sku: skuSchema });
