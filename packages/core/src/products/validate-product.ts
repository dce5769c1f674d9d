import type { z } from 'zod';
import { productInputSchema, skuRefSchema, type ProductInput } from './product-schema';

export type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

/** "price: must be a number ≥ 0; title: is required" — names each field and its rule. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'item'}: ${issue.message}`)
    .join('; ');
}

function validateWith<T>(schema: z.ZodType<T>, item: unknown): Validation<T> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, reason: 'item: must be an object' };
  }
  const parsed = schema.safeParse(item);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: describeIssues(parsed.error) };
}

export const validateProduct = (item: unknown): Validation<ProductInput> => validateWith(productInputSchema, item);

export const validateSkuRef = (item: unknown): Validation<{ sku: string }> => validateWith(skuRefSchema, item);
