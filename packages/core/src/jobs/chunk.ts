import type { JobType } from './job';

/** One queue message: up to K consecutive items of one job. */
export interface Chunk {
  jobId: string;
  tenantId: string;
  type: JobType;
  /** 0-based chunk number: the idempotency key of the chunk's commit. */
  n: number;
  /** Index of the first item within the job, so failures keep their position. */
  start: number;
  items: unknown[];
}

/** SQS takes up to 1 MiB per message; stay below it to leave room for the envelope. */
export const MAX_CHUNK_BYTES = 900 * 1024;

/**
 * Splits a job's items into chunks of at most `size` items and `maxBytes`
 * of JSON. Deterministic: the same items always give the same chunks, which is
 * what makes re-dispatching a job safe.
 */
export function chunkItems(
  job: { jobId: string; tenantId: string; type: JobType },
  items: readonly unknown[],
  size: number,
  maxBytes = MAX_CHUNK_BYTES,
): Chunk[] {
  const chunks: Chunk[] = [];
  let current: unknown[] = [];
  let start = 0;
  let bytes = 0;
  const flush = () => {
    if (current.length === 0) return;
    chunks.push({ ...job, n: chunks.length, start, items: current });
    start += current.length;
    current = [];
    bytes = 0;
  };
  for (const item of items) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item));
    if (current.length >= size || (current.length > 0 && bytes + itemBytes > maxBytes)) flush();
    current.push(item);
    bytes += itemBytes + 1;
  }
  flush();
  return chunks;
}

export const encodeChunk = (chunk: Chunk) => JSON.stringify(chunk);

export function decodeChunk(body: string): Chunk {
  const value = JSON.parse(body) as Chunk;
  if (
    typeof value?.jobId !== 'string' ||
    typeof value.tenantId !== 'string' ||
    !Number.isInteger(value.n) ||
    !Number.isInteger(value.start) ||
    !Array.isArray(value.items)
  ) {
    throw new Error('not a chunk message');
  }
  return value;
}
