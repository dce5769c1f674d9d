/**
 * The three Lambda entry files as Lambda runs them: configured from the
 * environment (pointed at the emulators), called with (event, context). This
 * checks their wiring: the JSON logs and EMF records carry the invocation's
 * awsRequestId, and the job events reach the metrics.
 */
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { notifyMessage, taskMessage } from '@merchantops/core/jobs/messages';
import { localSqs } from '@merchantops/local/clients';
import { useStack, waitFor } from '../support/stack';
import { captureStdout, emfWith, isEmf, total, type Capture } from './capture';

const TITLE = 'Marbled Otter Mug';
const SKU = 'OTTERSKU';

// No worker polls the items queue: the test receives the chunks and invokes the worker entry itself.
const ctx = useStack({ chunkSize: 4, workerConcurrency: 0 });
const sqs = localSqs(inject('sqsEndpoint'));
afterAll(() => sqs.destroy());

type Handler<E, R> = (event: E, context: { awsRequestId: string }) => Promise<R>;
let api: Handler<APIGatewayProxyEventV2, { statusCode: number; body: string }>;
let worker: Handler<SQSEvent, { batchItemFailures: unknown[] }>;
let deadLetter: Handler<SQSEvent, { batchItemFailures: unknown[] }>;
let planner: Handler<SQSEvent, { batchItemFailures: unknown[] }>;
let notifier: Handler<SQSEvent, { batchItemFailures: unknown[] }>;

const saved: Record<string, string | undefined> = {};
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

beforeAll(async () => {
  // Every resource of the local stack under the name config.ts reads it by
  // (jobsTable -> JOBS_TABLE, itemsQueueUrl -> ITEMS_QUEUE_URL, ...).
  const resources = Object.fromEntries(
    Object.entries(ctx.stack.resources).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), String(value)]),
  );
  const env = {
    ...resources,
    CHUNK_SIZE: '4',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
    AWS_ENDPOINT_URL_SQS: inject('sqsEndpoint'),
    AWS_ENDPOINT_URL_S3: inject('sqsEndpoint'),
  };
  // Set for the whole file (the SDK reads some of them lazily, at the first call), restored after it.
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  vi.resetModules(); // each entry reads its configuration when imported, as at a cold start
  api = (await import('@merchantops/functions/api/lambda')).handler as unknown as typeof api;
  worker = (await import('@merchantops/functions/worker/lambda')).handler;
  deadLetter = (await import('@merchantops/functions/dlq/lambda')).handler;
  planner = (await import('@merchantops/functions/planner/lambda')).handler;
  notifier = (await import('@merchantops/functions/notifier/lambda')).handler;
});

let out: Capture;
beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  vi.stubEnv('STAGE', 'entries');
  out = captureStdout();
});
afterEach(() => {
  out.stop();
  vi.unstubAllEnvs();
});

function httpEvent(method: string, path: string, headers: Record<string, string>, body?: unknown): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'apigw-request',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const products = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => ({ sku: `${SKU}-${prefix}-${i}`, title: `${TITLE} ${i}`, price: 5 + i }));

/**
 * Creates an import through the local stack's API and receives its chunks from
 * the items queue, as real SQS records. (Not through the API entry: configured
 * from the environment alone, the SDK sends SQS calls to the host of the queue
 * URL, and fauxqs's sqs.<region>.localhost does not resolve on every machine.)
 */
async function jobWithMessages(prefix: string, count: number) {
  const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(count, prefix) });
  expect(created.status).toBe(202);
  const jobId = created.json.id as string;
  const expected = Math.ceil(count / 4);
  const records: SQSEvent['Records'] = [];
  await waitFor(async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: ctx.stack.resources.itemsQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    for (const m of Messages.filter((message) => JSON.parse(message.Body!).jobId === jobId)) {
      records.push({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body!,
        attributes: m.Attributes as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: ctx.stack.resources.itemsQueueArn,
        awsRegion: 'us-east-1',
      });
    }
    return records.length >= expected ? true : undefined;
  }, `${expected} chunks on the items queue`);
  records.sort((a, b) => JSON.parse(a.body).n - JSON.parse(b.body).n);
  return { jobId, records };
}

describe('Lambda entry files', () => {
  it('api: request and job lines carry the awsRequestId, job metrics are emitted, and neither the key nor items are logged', async () => {
    // An empty job is created and finished within the request, and needs no queue.
    const create = await api(
      httpEvent('POST', '/v1/jobs', { authorization: `Bearer ${ctx.key}` }, { type: 'import', items: [] }),
      { awsRequestId: 'req-api-create' },
    );
    expect(create.statusCode).toBe(202);
    const jobId = JSON.parse(create.body).id;
    const lines = out.lines().filter((l) => l.requestId === 'req-api-create');
    expect(lines.find((l) => l.message === 'request')).toMatchObject({ method: 'POST', route: '/v1/jobs', status: 202, tenantId: 'acme' });
    expect(lines.find((l) => l.message === 'job created')).toMatchObject({ jobId, tenantId: 'acme', total: 0 });
    expect(lines.find((l) => l.message === 'job completed')).toMatchObject({ jobId, durationSeconds: 0 });
    expect(total(lines, 'JobsCreated')).toBe(1);
    expect(total(lines, 'JobsCompleted')).toBe(1);
    const sku = `${SKU}-a-0`;
    const read = await api(httpEvent('GET', `/v1/products/${sku}`, { authorization: `Bearer ${ctx.key}` }), { awsRequestId: 'req-api-read' });
    expect(read.statusCode).toBe(404);
    expect(out.lines().find((l) => l.requestId === 'req-api-read')).toMatchObject({
      message: 'request',
      route: '/v1/products/:sku',
      status: 404,
      tenantId: 'acme',
    });

    const denied = await api(httpEvent('GET', '/v1/jobs', { authorization: 'Bearer mo_not-a-real-key-123' }), { awsRequestId: 'req-api-denied' });
    expect(denied.statusCode).toBe(401);
    const deniedLine = out.lines().find((l) => l.requestId === 'req-api-denied');
    expect(deniedLine).toMatchObject({ message: 'request', status: 401 });
    expect(deniedLine!.tenantId).toBeUndefined();

    const text = out.text();
    expect(text).not.toContain(ctx.key);
    expect(text).not.toContain('mo_not-a-real-key-123');
    expect(text).not.toContain(SKU);
    expect(text).not.toContain(TITLE);
  });

  it('worker and dead-letter handler: every line of an invocation carries its awsRequestId, and items reach the metrics', async () => {
    const { jobId, records } = await jobWithMessages('b', 8);
    expect(records).toHaveLength(2);

    expect(await worker({ Records: [records[0]] }, { awsRequestId: 'req-worker' })).toEqual({ batchItemFailures: [] });
    expect(await deadLetter({ Records: [records[1]] }, { awsRequestId: 'req-dlq' })).toEqual({ batchItemFailures: [] });

    const ofWorker = out.lines().filter((l) => l.requestId === 'req-worker');
    const ofDlq = out.lines().filter((l) => l.requestId === 'req-dlq');
    expect(ofWorker.find((l) => !isEmf(l))).toMatchObject({ message: 'chunk committed', jobId, chunk: 0, tenantId: 'acme', messageId: records[0].messageId });
    expect(total(ofWorker, 'ItemsProcessed')).toBe(4);
    expect(total(ofWorker, 'ItemsFailed')).toBe(0);
    // The dead-letter handler works the exhausted chunk once more, item by item: these
    // items are valid, so they count as imported, not as failed.
    expect(total(ofDlq, 'ItemsProcessed')).toBe(4);
    expect(total(ofDlq, 'ItemsFailed')).toBe(0);
    expect(total(ofDlq, 'ChunksExhausted')).toBe(1);
    expect(ofDlq.find((l) => l.message === 'job completed')).toMatchObject({ jobId, processed: 8, failed: 0 });
    expect(emfWith(ofDlq, 'JobsCompleted')[0]).toMatchObject({ JobsCompleted: 1, Stage: 'entries', JobType: 'import', jobId });
    for (const line of [...ofWorker, ...ofDlq]) expect(line.jobId).toBe(jobId);

    const text = out.text();
    expect(text).not.toContain(SKU);
    expect(text).not.toContain(TITLE);
  });

  it('planner and notifier: their lines carry the awsRequestId', async () => {
    // No such job: the plan and the callback are skipped, and say so.
    const cases = [
      { handler: planner, body: (jobId: string) => taskMessage.encode({ kind: 'plan', jobId }), requestId: 'req-planner' },
      { handler: notifier, body: (jobId: string) => notifyMessage.encode(jobId), requestId: 'req-notifier' },
    ];
    for (const { handler, body, requestId } of cases) {
      const jobId = randomUUID();
      const record = {
        messageId: `${requestId}-message`,
        receiptHandle: 'unused',
        body: body(jobId),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:queue',
        awsRegion: 'us-east-1',
      };
      expect(await handler({ Records: [record] }, { awsRequestId: requestId })).toEqual({ batchItemFailures: [] });
      const lines = out.lines().filter((l) => l.jobId === jobId);
      expect(lines.length, requestId).toBeGreaterThan(0);
      for (const line of lines) expect(line.requestId).toBe(requestId);
    }
  });
});
