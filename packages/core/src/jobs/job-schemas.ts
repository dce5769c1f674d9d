import { z } from 'zod';
import { MAX_ITEMS_PER_REQUEST } from '../config';
import { PRODUCT_FIELDS } from '../products/product-fields';
import { EXPORT_FORMATS, JOB_STATUSES, JOB_TYPES } from './job';

/** Request schemas of the jobs API: used to validate and to document it. */

const oneOf = (values: readonly string[]) => `must be one of ${values.join(', ')}`;

export const createJobBodySchema = z
  .object(
    {
      type: z.enum(JOB_TYPES, { error: oneOf(JOB_TYPES) }),
      items: z.array(z.unknown(), { error: 'must be an array' }).optional(),
      source: z
        .object({ uploadId: z.string({ error: 'is required' }).min(1, 'is required') }, { error: 'must be an object' })
        .strict()
        .optional(),
      select: z
        .union(
          [
            z.object({ all: z.literal(true, { error: 'must be true' }) }).strict(),
            z
              .object({
                missing: z
                  .array(z.enum(PRODUCT_FIELDS, { error: oneOf(PRODUCT_FIELDS) }), { error: 'must be a list of field names' })
                  .min(1, 'must name at least one field'),
              })
              .strict(),
          ],
          { error: 'must be {"all": true} or {"missing": [field, ...]}' },
        )
        .optional(),
      dryRun: z.boolean({ error: 'must be true or false' }).optional(),
      format: z.enum(EXPORT_FORMATS, { error: oneOf(EXPORT_FORMATS) }).optional(),
      callbackUrl: z.string({ error: 'must be a URL' }).max(2048, 'must be at most 2048 characters').optional(),
      maxFailurePercent: z
        .number({ error: 'must be a number from 0 to 100' })
        .min(0, 'must be a number from 0 to 100')
        .max(100, 'must be a number from 0 to 100')
        .optional(),
    },
    { error: 'must be a JSON object' },
  )
  .superRefine((body, ctx) => {
    const given = (['items', 'source', 'select'] as const).filter((key) => body[key] !== undefined);
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (given.length === 0) problem('items', 'is required (or give "source" for an upload, or "select")');
    if (given.length > 1) problem(given[1], `cannot be combined with "${given[0]}"`);
    if (body.source && body.type !== 'import') problem('source', 'only import jobs read an upload');
    if (body.select && body.type === 'import') problem('select', 'only enrichment and export jobs select products');
    if (body.dryRun && body.type !== 'import') problem('dryRun', 'only import jobs have a dry run');
    if (body.format && body.type !== 'export') problem('format', 'only export jobs have a format');
  });

export const retryBodySchema = z
  .object({ reason: z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional() }, { error: 'must be a JSON object' })
  .strict();

export const UPLOAD_FORMATS = ['csv', 'jsonl'] as const;

export const createUploadBodySchema = z
  .object(
    {
      filename: z.string({ error: 'must be a string' }).min(1).max(255, 'must be at most 255 characters').optional(),
      format: z.enum(UPLOAD_FORMATS, { error: oneOf(UPLOAD_FORMATS) }).optional(),
      /** The file's exact size in bytes: the upload URL then accepts that size only. */
      size: z.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').min(1, 'must be at least 1').optional(),
    },
    { error: 'must be a JSON object' },
  )
  .strict();

const limitSchema = (max: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(20);

export const listJobsQuerySchema = z.object({
  type: z.enum(JOB_TYPES, { error: oneOf(JOB_TYPES) }).optional(),
  status: z.enum(JOB_STATUSES, { error: oneOf(JOB_STATUSES) }).optional(),
  limit: limitSchema(100),
  cursor: z.string().optional(),
});

export const listFailuresQuerySchema = z.object({
  limit: limitSchema(1000),
  cursor: z.string().optional(),
  format: z.enum(['json', 'csv'], { error: oneOf(['json', 'csv']) }).default('json'),
});

/** Client-chosen, so bounded and printable. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters without spaces');

/** Largest single item: keeps every chunk within SQS's 1 MiB message limit. */
export const MAX_ITEM_BYTES = 256 * 1024;
