import { z } from 'zod';

/** Body of a webhook-triggered import: products inline, or an upload. */
export const webhookImportBodySchema = z.union(
  [
    z
      .object({
        products: z.array(z.unknown(), { error: 'must be an array' }),
        callbackUrl: z.string({ error: 'must be a URL' }).max(2048).optional(),
      })
      .strict(),
    z
      .object({
        uploadId: z.string({ error: 'must be a string' }).min(1, 'is required'),
        callbackUrl: z.string({ error: 'must be a URL' }).max(2048).optional(),
      })
      .strict(),
  ],
  { error: 'must be {"products": [...]} or {"uploadId": "..."}' },
);
