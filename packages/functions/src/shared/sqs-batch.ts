import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Chunk } from '@merchantops/core/jobs/chunk';
import { chunkMessage } from '@merchantops/core/jobs/messages';
import { errorText } from '@merchantops/core/shared/errors';
import { metrics } from '@merchantops/core/resources/monitoring';
import { log, withLogContext } from './log';
import { emitMetrics } from './metrics';

/** What the handler uses of Lambda's context; the local bridge passes none. */
export type InvocationContext = Pick<Context, 'awsRequestId'>;

/** A Lambda entry around a handler that takes no context: the invocation's request id on every line it writes. */
export const withRequestId =
  <E, R>(run: (event: E) => Promise<R>) =>
  (event: E, context: InvocationContext): Promise<R> =>
    withLogContext({ requestId: context.awsRequestId }, () => run(event));

export interface SqsBatchOptions {
  /** One record after the other, in batch order (the planner); by default all records of a batch at once. */
  sequential?: boolean;
  /**
   * For dead-letter consumers: a record that failed on this many deliveries
   * is dropped (see dropped()) instead of going back to its queue.
   */
  giveUpAfter?: number;
}

/**
 * An SQS consumer on Powertools' BatchProcessor: `handle` runs for every
 * record, and the records it threw on are reported in batchItemFailures with
 * their message ids, so SQS redelivers only those (partial batch response).
 * A batch where every record failed is reported the same way, not thrown.
 *
 * Every log line and metric record of an invocation carries its request id
 * (Lambda's awsRequestId; locally a generated "local-..." id), and those of a
 * record also its message id, queue and receive count.
 */
export function sqsBatch(handle: (record: SQSRecord) => Promise<unknown>, options: SqsBatchOptions = {}) {
  const giveUp = async (record: SQSRecord) => {
    try {
      return await handle(record);
    } catch (error) {
      if (options.giveUpAfter && receiveCount(record) >= options.giveUpAfter) return dropped(record);
      throw error;
    }
  };
  const perRecord = (record: SQSRecord) =>
    withLogContext(
      { messageId: record.messageId, queue: record.eventSourceARN?.split(':').pop(), receiveCount: receiveCount(record) },
      () => giveUp(record),
    );
  return (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> =>
    withLogContext({ requestId: context?.awsRequestId ?? `local-${randomUUID()}` }, () =>
      // A processor per invocation: it holds the batch it works on.
      processPartialResponse(event, perRecord, new BatchProcessor(EventType.SQS), {
        processInParallel: !options.sequential,
        throwOnFullBatchFailure: false,
      }),
    );
}

/**
 * Runs every chunk of an SQS batch at once (sqsBatch); those that threw go
 * back to the queue (or, with `giveUpAfter`, are dropped after that many
 * deliveries). Log lines of a chunk carry its job, tenant and chunk number.
 */
export function chunkBatchHandler(
  run: (chunk: Chunk, record: SQSRecord) => Promise<string>,
  options: Pick<SqsBatchOptions, 'giveUpAfter'> = {},
) {
  return sqsBatch((record) => runChunk(run, record), options);
}

export const receiveCount = (record: { attributes?: { ApproximateReceiveCount?: string } }) =>
  Number(record.attributes?.ApproximateReceiveCount ?? 1);

/**
 * A dead letter its handler failed on too often: acknowledged, so it does not
 * circle for 14 days, and reported; the sweeper re-drives its job.
 */
export function dropped(record: SQSRecord): undefined {
  log('error', 'dead letter dropped after repeated failures; the sweeper re-drives its job', {
    messageId: record.messageId,
    receiveCount: receiveCount(record),
  });
  emitMetrics([[metrics.deadLettersDropped, 1]], undefined);
  return undefined;
}

/** Thrown for a record whose body is not a chunk; its message never quotes the body. */
class NotAChunk extends Error {}

async function runChunk(run: (chunk: Chunk, record: SQSRecord) => Promise<string>, record: SQSRecord): Promise<void> {
  const started = performance.now();
  let chunk: Chunk;
  try {
    chunk = chunkMessage.decode(record.body);
  } catch (error) {
    // Only the kind of error: JSON.parse quotes a piece of the body in its message.
    log('error', 'message is not a chunk; it will be retried, then dead-lettered', { error: (error as Error)?.name ?? 'Error' });
    emitMetrics([[metrics.chunkFailures, 1]], undefined);
    throw new NotAChunk('message is not a chunk');
  }

  await withLogContext({ jobId: chunk.jobId, tenantId: chunk.tenantId, chunk: chunk.n }, async () => {
    const facts = () => ({ jobType: chunk.type, itemCount: chunk.items.length, durationMs: elapsed(started) });
    try {
      const outcome = await run(chunk, record);
      log('info', `chunk ${outcome}`, facts());
    } catch (error) {
      log('warn', 'chunk failed, will be retried', { ...facts(), error: errorText(error) });
      emitMetrics([[metrics.chunkFailures, 1]], chunk.type);
      throw error;
    }
  });
}

const elapsed = (started: number) => Math.round(performance.now() - started);
