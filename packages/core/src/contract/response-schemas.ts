import { z } from 'zod';
import { EXPORT_FORMATS, JOB_STATUSES, JOB_TYPES } from '../jobs/job';
import { UPLOAD_FORMATS } from '../jobs/job-schemas';
import { productInputSchema } from '../products/product-schema';

/**
 * What the API answers, as zod schemas, for the OpenAPI document. The request
 * side is documented from the schemas that validate requests
 * (jobs/job-schemas.ts); these describe the responses, and test/docs checks
 * them against real answers and against `JobView`, so they cannot drift.
 */

const timestamp = z.iso.datetime().describe('ISO 8601 time');
const count = z.int().min(0);

export const jobSourceSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('items') }).strict().describe('items given in the request'),
    z
      .object({ kind: z.literal('upload'), uploadId: z.string(), format: z.enum(UPLOAD_FORMATS) })
      .strict()
      .describe('an uploaded file (POST /v1/uploads)'),
    z
      .object({ kind: z.literal('select'), all: z.literal(true).optional(), missing: z.array(z.string()).optional() })
      .strict()
      .describe("the tenant's stored products, all of them or those missing some fields"),
    z
      .object({ kind: z.literal('retry'), jobId: z.uuid(), reason: z.string().optional() })
      .strict()
      .describe('the failed items of another job'),
  ])
  .describe('Where the items of the job come from.');

export const failureSummaryEntrySchema = z.object({ reason: z.string(), count: z.int().min(1) }).strict();

export const jobSchema = z
  .object({
    id: z.uuid().describe('job id'),
    type: z.enum(JOB_TYPES),
    status: z
      .enum(JOB_STATUSES)
      .describe('queued → running → completed, or cancelled, or failed (the job itself broke; see error)'),
    total: count.nullable().describe('items the job sets out to process; null while the planner is still counting them'),
    processed: count.describe('items finished so far, successfully or not'),
    failed: count.describe('finished items that could not be completed (failed ≤ processed)'),
    succeeded: count.describe('processed − failed'),
    progress: z.number().min(0).max(100).describe('processed / total × 100, rounded down to 2 decimals; 100 for an empty job'),
    createdAt: timestamp.describe('when the job was created (it starts at once)'),
    updatedAt: timestamp.describe('last change of status or counters'),
    completedAt: timestamp.nullable().describe('when it finished (completed, cancelled or failed)'),
    error: z.string().nullable().describe('why a failed job failed'),
    source: jobSourceSchema,
    planning: z.boolean().describe('true while the items of an upload, selection or retry are still being read'),
    dryRun: z.boolean().describe('import only: validate and count, write nothing'),
    format: z.enum(EXPORT_FORMATS).optional().describe('export file format'),
    maxFailurePercent: z.number().nullable().describe('the job fails once more than this share of its items has failed'),
    result: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .nullable()
      .describe('import: created / updated / unchanged counts; export: format, rows, bytes'),
    failureSummary: z
      .array(failureSummaryEntrySchema)
      .describe('failed items grouped by reason, most frequent first (at most 20 reasons are counted by name)'),
    otherReasons: count.describe('failed items whose reason is not among the reasons counted by name'),
    stalled: z.boolean().describe('true while the job has made no progress for a while and is being re-driven'),
    stalledAt: timestamp.nullable().describe('when the sweeper found the job without progress'),
    waiting: z
      .enum(['fair-share'])
      .nullable()
      .describe(
        "'fair-share' while the job has items left and none of its chunks has committed for 5 s: they are queued behind other work, which workers take in fair turns across tenants (best effort: inferred from the job alone, it may also be this tenant's earlier jobs or a chunk waiting for a retry); otherwise null",
      ),
    callbackUrl: z.string().nullable().describe('where the signed completion callback is sent'),
    retryOf: z.uuid().nullable().describe('the job whose failed items this job retries'),
    retries: z.array(z.uuid()).describe('jobs that retried this one, oldest first'),
  })
  .strict();

export const jobListSchema = z
  .object({
    jobs: z.array(jobSchema).describe('newest first'),
    nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
  })
  .strict();

export const failureSchema = z
  .object({
    index: count.describe("the item's position in the job"),
    item: z
      .unknown()
      .optional()
      .describe('the item as given, so it can be retried on its own (absent when it was over 16 KiB: see preview)'),
    preview: z.string().max(501).optional().describe('the first 500 characters of an item too large to keep whole'),
    reason: z.string().describe('field: rule, for each broken field'),
    attempts: z.int().min(1).optional().describe('deliveries of its chunk when it failed'),
    line: z.int().min(1).optional().describe('source line, for items read from a file'),
  })
  .strict();

export const failureListSchema = z
  .object({ failures: z.array(failureSchema).describe('by index'), nextCursor: z.string().nullable() })
  .strict();

export const uploadSchema = z
  .object({
    uploadId: z.uuid().describe('use as {"source": {"uploadId"}} when creating the import job'),
    format: z.enum(UPLOAD_FORMATS),
    method: z.literal('PUT'),
    url: z.url().describe('PUT the file here, straight to storage'),
    headers: z.record(z.string(), z.string()).describe('send these headers with the PUT'),
    expiresAt: timestamp.describe('the URL works until then'),
  })
  .strict();

export const productSchema = productInputSchema
  .extend({
    currency: z.string().regex(/^[A-Z]{3}$/).describe('upper-case currency code (USD unless the import gave one)'),
    updatedAt: timestamp.describe('when it was last imported'),
    enrichedAt: timestamp.optional().describe('when it was last enriched'),
  });

export const errorSchema = z
  .object({
    error: z
      .object({
        code: z.string().describe('bad_request, unauthorized, not_found, conflict, payload_too_large, unsupported_media_type, unavailable, internal'),
        message: z.string().describe('for bad input, names the field at fault'),
      })
      .strict(),
  })
  .strict();

/** The JSON answer of a download endpoint asked for with `Accept: application/json`. */
export const downloadLinkSchema = z
  .object({ url: z.url().describe('short-lived link to the file'), method: z.literal('GET') })
  .strict();

export const notificationListSchema = z
  .object({
    notifications: z.array(
      z
        .object({
          deliveryId: z.string().describe('the same for every attempt of one callback'),
          event: z.string().describe('e.g. job.finished'),
          url: z.string().describe('the callback URL'),
          state: z.enum(['pending', 'delivered', 'failed']),
          attempts: z.array(
            z
              .object({
                at: timestamp,
                status: z.int().optional().describe('HTTP status of the answer; absent when there was none'),
                error: z.string().optional(),
                durationMs: z.number().min(0),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export const healthSchema = z.object({ ok: z.literal(true) }).strict();

export type DownloadLink = z.output<typeof downloadLinkSchema>;
