import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeChunk, type Chunk } from '@merchantops/core/jobs/chunk';
import { errorText } from '@merchantops/core/jobs/process-chunk';
import { log } from './log';

/**
 * Runs every chunk of an SQS batch at once and reports the ones that threw in
 * batchItemFailures, so SQS redelivers only those (partial batch response).
 */
export function chunkBatchHandler(run: (chunk: Chunk, record: SQSRecord) => Promise<string>) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const results = await Promise.all(
      event.Records.map(async (record) => {
        let chunk: Chunk | undefined;
        try {
          chunk = decodeChunk(record.body);
          const outcome = await run(chunk, record);
          log('info', `chunk ${outcome}`, fields(chunk, record));
          return undefined;
        } catch (error) {
          log('warn', 'chunk failed, will be retried', { ...fields(chunk, record), error: errorText(error) });
          return { itemIdentifier: record.messageId };
        }
      }),
    );
    return { batchItemFailures: results.filter((r) => r !== undefined) };
  };
}

const fields = (chunk: Chunk | undefined, record: SQSRecord) => ({
  jobId: chunk?.jobId,
  tenantId: chunk?.tenantId,
  chunk: chunk?.n,
  messageId: record.messageId,
  receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
});
