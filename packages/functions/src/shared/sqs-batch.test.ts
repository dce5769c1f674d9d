/**
 * The SQS batch wrapper on Powertools' BatchProcessor: partial batch
 * responses with the real message ids, records at once or in order, the
 * request and message ids on every line, and the dead-letter give-up.
 */
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chunkBatchHandler, sqsBatch } from './sqs-batch';
import { logContext } from './log';

const record = (messageId: string, body = '{}', receiveCount = 1): SQSRecord => ({
  messageId,
  receiptHandle: 'unused',
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:items-queue',
  awsRegion: 'us-east-1',
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

let written = '';
beforeEach(() => {
  written = '';
  vi.stubEnv('LOG_LEVEL', 'info');
  const capture = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
const lines = () =>
  written
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('sqsBatch', () => {
  it('reports exactly the records that threw, by message id, and does not throw when all of them did', async () => {
    const handler = sqsBatch(async (r) => {
      if (r.body === 'bad') throw new Error('no');
    });
    const mixed = await handler({ Records: [record('m-1'), record('m-2', 'bad'), record('m-3'), record('m-4', 'bad')] });
    expect(mixed).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-4' }] });
    const allBad = await handler({ Records: [record('m-5', 'bad'), record('m-6', 'bad')] });
    expect(allBad).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-5' }, { itemIdentifier: 'm-6' }] });
  });

  it('runs the records of a batch at once by default, and one after the other when sequential', async () => {
    const runWith = async (sequential: boolean) => {
      let running = 0;
      let most = 0;
      const order: string[] = [];
      const handler = sqsBatch(
        async (r) => {
          running += 1;
          most = Math.max(most, running);
          await tick();
          order.push(r.messageId);
          running -= 1;
        },
        { sequential },
      );
      await handler({ Records: [record('a'), record('b'), record('c')] });
      return { most, order };
    };
    expect((await runWith(false)).most).toBe(3);
    expect(await runWith(true)).toEqual({ most: 1, order: ['a', 'b', 'c'] });
  });

  it('gives every record the request id of its invocation and its own message id and receive count', async () => {
    const seen: Record<string, unknown>[] = [];
    const handler = sqsBatch(async () => {
      await tick();
      seen.push(logContext());
    });
    await handler({ Records: [record('m-1'), record('m-2', '{}', 3)] }, { awsRequestId: 'req-1' });
    await handler({ Records: [record('m-3')] });
    expect(seen.slice(0, 2)).toEqual(
      expect.arrayContaining([
        { requestId: 'req-1', messageId: 'm-1', queue: 'items-queue', receiveCount: 1 },
        { requestId: 'req-1', messageId: 'm-2', queue: 'items-queue', receiveCount: 3 },
      ]),
    );
    expect(seen[2]).toMatchObject({ requestId: expect.stringMatching(/^local-/), messageId: 'm-3' });
  });
});

describe('chunkBatchHandler', () => {
  const chunk = (n: number) => JSON.stringify({ jobId: 'j-1', tenantId: 'acme', type: 'import', n, start: 0, items: [{ sku: 'S' }] });

  it('retries a failed chunk, and with giveUpAfter drops it on that delivery, counting DeadLettersDropped', async () => {
    const failing = async () => {
      throw new Error('still down');
    };
    const validChunk = chunk(0);
    const worker = chunkBatchHandler(failing);
    const deadLetters = chunkBatchHandler(failing, { giveUpAfter: 5 });
    expect(await worker({ Records: [record('w-1', validChunk, 9)] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'w-1' }] });
    expect(await deadLetters({ Records: [record('d-1', validChunk, 4)] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'd-1' }] });
    expect(await deadLetters({ Records: [record('d-2', validChunk, 5)] })).toEqual({ batchItemFailures: [] });
    const failedLines = lines().filter((l) => l.message === 'chunk failed, will be retried');
    expect(failedLines.map((l) => [l.messageId, l.jobId, l.chunk])).toEqual([
      ['w-1', 'j-1', 0],
      ['d-1', 'j-1', 0],
      ['d-2', 'j-1', 0],
    ]);
    const drops = lines().filter((l) => l._aws && l.DeadLettersDropped === 1);
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ messageId: 'd-2', receiveCount: 5 });
  });
});
