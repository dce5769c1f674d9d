import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
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

/**
 * Runs every chunk of an SQS batch at once and reports the ones that threw in
 * batchItemFailures, so SQS redelivers only those (partial batch response).
 *
 * Every log line and metric record of an invocation carries its request id
 * (Lambda's awsRequestId; locally a generated "local-..." id), and those of a
 * record also its job, tenant, chunk number and message id.
 */
export function chunkBatchHandler(
  run: (chunk: Chunk, record: SQSRecord) => Promise<string>,
  options: { giveUpAfter?: number } = {},
) {
  return (event: SQSEvent, context?: InvocationContext): Promise<SQSBatchResponse> =>
    withLogContext({ requestId: context?.awsRequestId ?? `local-${randomUUID()}` }, async () => {
      const results = await Promise.all(
        event.Records.map(async (record) => {
          const failure = await runRecord(run, record);
          return failure && options.giveUpAfter && receiveCount(record) >= options.giveUpAfter ? dropped(record) : failure;
        }),
      );
      return { batchItemFailures: results.filter((r) => r !== undefined) };
    });
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

async function runRecord(
  run: (chunk: Chunk, record: SQSRecord) => Promise<string>,
  record: SQSRecord,
): Promise<SQSBatchItemFailure | undefined> {
  const started = performance.now();
  const delivery = {
    messageId: record.messageId,
    queue: record.eventSourceARN?.split(':').pop(),
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
  };
  let chunk: Chunk;
  try {
    chunk = chunkMessage.decode(record.body);
  } catch (error) {
    // Only the kind of error: JSON.parse quotes a piece of the body in its message.
    return withLogContext(delivery, () => {
      log('error', 'message is not a chunk; it will be retried, then dead-lettered', {
        error: (error as Error)?.name ?? 'Error',
      });
      emitMetrics([[metrics.chunkFailures, 1]], undefined);
      return { itemIdentifier: record.messageId };
    });
  }

  const fields = { jobId: chunk.jobId, tenantId: chunk.tenantId, chunk: chunk.n, ...delivery };
  return withLogContext(fields, async () => {
    const facts = () => ({ jobType: chunk.type, itemCount: chunk.items.length, durationMs: elapsed(started) });
    try {
      const outcome = await run(chunk, record);
      log('info', `chunk ${outcome}`, facts());
      return undefined;
    } catch (error) {
      log('warn', 'chunk failed, will be retried', { ...facts(), error: errorText(error) });
      emitMetrics([[metrics.chunkFailures, 1]], chunk.type);
      return { itemIdentifier: record.messageId };
    }
  });
}

const elapsed = (started: number) => Math.round(performance.now() - started);
