import { z } from 'zod';
import { sqsLimits } from '../limits/aws-limits';
import { kib } from '../limits/storable';
import { toQueueJson } from '../limits/sqs-text';
import { JOB_TYPES } from './job';
import type { Chunk } from './chunk';

/**
 * Every message the queues carry, as zod codecs: `decode` takes a message
 * body and gives the checked value (or throws a ZodError), `encode` gives the
 * SQS-safe JSON body (limits/sqs-text.ts). One place, so senders and
 * consumers cannot drift.
 */
const message = <T extends z.ZodType>(schema: T) =>
  z.codec(z.string(), schema, {
    decode: (body, ctx) => {
      try {
        return JSON.parse(body);
      } catch {
        ctx.issues.push({ code: 'invalid_format', format: 'json', input: body, message: 'the message is not JSON' });
        return z.NEVER;
      }
    },
    encode: (value) => toQueueJson(value),
  });

const chunkSchema = z.object({
  jobId: z.string(),
  tenantId: z.string(),
  type: z.enum(JOB_TYPES),
  n: z.int().min(0),
  start: z.int().min(0),
  items: z.array(z.unknown()),
  lines: z.array(z.int()).optional(),
  options: z.object({ dryRun: z.boolean().optional(), format: z.enum(['csv', 'jsonl']).optional() }).optional(),
}) satisfies z.ZodType<Chunk>;

/** Items queue: one chunk of a job. */
export const chunkMessage = message(chunkSchema);

/** The body of a chunk's message, which never passes the queues' message size (chunk.ts keeps chunks below it). */
export function encodeChunk(chunk: Chunk): string {
  const body = chunkMessage.encode(chunk);
  const bytes = Buffer.byteLength(body);
  if (bytes > sqsLimits.messageBytes) {
    throw new Error(`chunk ${chunk.n} of job ${chunk.jobId} is ${kib(bytes)}, over the ${kib(sqsLimits.messageBytes)} message limit`);
  }
  return body;
}

/**
 * Plans queue: long-running work on a whole job, done by the planner
 * (15-minute timeout) rather than a chunk worker.
 *   plan     — read the job's source and dispatch its chunks
 *   finalize — join an export's parts into its file and complete the job
 *   redrive  — send again the chunks that never committed (from the sweeper)
 */
export const TASK_KINDS = ['plan', 'finalize', 'redrive'] as const;
export type JobTask = { kind: (typeof TASK_KINDS)[number]; jobId: string };

const taskSchema = z.union(TASK_KINDS.map((kind) => z.object({ [kind]: z.string() }).strict()));

/** On the wire `{"plan": "<jobId>"}` (one key, the kind), as messages of earlier versions were. */
export const taskMessage = {
  encode: (task: JobTask) => toQueueJson({ [task.kind]: task.jobId }),
  decode(body: string): JobTask {
    const value = message(taskSchema).decode(body) as Record<string, string>;
    const kind = TASK_KINDS.find((name) => name in value)!;
    return { kind, jobId: value[kind] };
  },
};

/** Notifications queue: one delivery attempt of a job's completion callback. */
export const notifyMessage = {
  encode: (jobId: string) => toQueueJson({ notify: jobId }),
  decode: (body: string): string => message(z.object({ notify: z.string() })).decode(body).notify,
};
