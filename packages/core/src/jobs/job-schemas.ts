import { z } from 'zod';
import { MAX_ITEMS_PER_REQUEST } from '../config';
import { JOB_STATUSES, JOB_TYPES } from './job';

/** Request schemas of the jobs API: used to validate and (later) to document it. */
export const createJobBodySchema = z.object(
  {
    type: z.enum(JOB_TYPES, { error: `must be one of ${JOB_TYPES.join(', ')}` }),
    items: z.array(z.unknown(), { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array') }),
  },
  { error: 'must be a JSON object' },
);

const limitSchema = (max: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(20);

export const listJobsQuerySchema = z.object({
  type: z.enum(JOB_TYPES, { error: `must be one of ${JOB_TYPES.join(', ')}` }).optional(),
  status: z.enum(JOB_STATUSES, { error: `must be one of ${JOB_STATUSES.join(', ')}` }).optional(),
  limit: limitSchema(100),
  cursor: z.string().optional(),
});

export const listFailuresQuerySchema = z.object({
  limit: limitSchema(1000),
  cursor: z.string().optional(),
});

/** Client-chosen, so bounded and printable. */
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 printable ASCII characters without spaces');

export { MAX_ITEMS_PER_REQUEST };
/** Largest single item: keeps every chunk within SQS's 1 MiB message limit. */
export const MAX_ITEM_BYTES = 256 * 1024;
