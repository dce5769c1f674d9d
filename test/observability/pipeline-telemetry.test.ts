/**
 * What the handlers write to stdout when they run for real (real adapters on
 * DynamoDB Local and fauxqs): JSON log lines with the ids an operator filters
 * on, EMF records CloudWatch can turn into metrics, and never a product's data
 * or an API key.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Chunk } from '@merchantops/core/jobs/chunk';
import { encodeChunk } from '@merchantops/core/jobs/messages';
import type { Deps } from '@merchantops/core/deps';
import { JOB_TYPE_DIMENSION, METRICS_NAMESPACE, SERVICE_NAME, STAGE_DIMENSION } from '@merchantops/core/resources/monitoring';
import { createDeadLetterHandler } from '@merchantops/functions/dlq/handler';
import { jobTelemetry } from '@merchantops/functions/shared/job-metrics';
import { createWorkerHandler } from '@merchantops/functions/worker/handler';
import { useStack, waitFor, waitForJob } from '../support/stack';
import { captureStdout, emfWith, isEmf, logLines, total, type Capture, type Line } from './capture';

/** Values only the products carry: none of them may reach stdout. */
const TITLE = 'Velvet Heron Lamp';
const SKU = 'HERONSKU';
const BRAND = 'Heronworks';
const STAGE = 'obs-test';

const products = (count: number, prefix: string, invalid: number[] = []) =>
  Array.from({ length: count }, (_, i) => ({
    sku: `${SKU}-${prefix}-${i}`,
    title: `${TITLE} ${i}`,
    price: invalid.includes(i) ? -1 : 20 + i,
    brand: BRAND,
  }));

/** While `hold.on`, the API keeps the chunks it would send, so a test can deliver them itself. */
const hold = { on: false, chunks: [] as Chunk[] };

function holdingDispatcher(dispatcher: Deps['dispatcher']): Deps['dispatcher'] {
  const send = (chunks: Chunk[]) => (hold.on ? (hold.chunks.push(...chunks), Promise.resolve()) : dispatcher.send(chunks));
  return Object.assign(Object.create(dispatcher), { send });
}

const events = jobTelemetry();
const ctx = useStack({
  chunkSize: 5,
  // Long enough that a slow, loaded machine never redelivers a chunk mid-run: this test counts lines per chunk.
  visibilityTimeoutSeconds: 60,
  apiDeps: (deps) => ({ ...deps, events, dispatcher: holdingDispatcher(deps.dispatcher) }),
  workerDeps: (deps) => ({ ...deps, events }),
});

let out: Capture;
beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  vi.stubEnv('STAGE', STAGE);
  hold.on = false;
  hold.chunks = [];
  out = captureStdout();
});
afterEach(() => {
  out.stop();
  vi.unstubAllEnvs();
});

/** Creates a job whose chunks are held back, and returns it with its chunks. */
async function heldJob(items: unknown[]) {
  hold.on = true;
  const created = await ctx.api.post('/v1/jobs', { type: 'import', items });
  hold.on = false;
  expect(created.status).toBe(202);
  const chunks = hold.chunks.filter((c) => c.jobId === created.json.id).sort((a, b) => a.n - b.n);
  hold.chunks = [];
  return { id: created.json.id as string, chunks };
}

let messages = 0;
function sqsRecord(body: string, queueArn: string, receiveCount = 1): SQSRecord {
  return {
    messageId: `test-message-${++messages}`,
    receiptHandle: 'unused',
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

const sqsEvent = (chunks: Chunk[], queueArn: string, receiveCount = 1): SQSEvent => ({
  Records: chunks.map((chunk) => sqsRecord(encodeChunk(chunk), queueArn, receiveCount)),
});

const lambdaContext = (awsRequestId: string) => ({ awsRequestId });

/** The shape CloudWatch requires of an EMF record, checked field by field. */
function expectEmfShape(record: Line) {
  expect(typeof record._aws.Timestamp).toBe('number');
  expect(Math.abs(record._aws.Timestamp - Date.now())).toBeLessThan(10 * 60_000);
  expect(record._aws.CloudWatchMetrics).toHaveLength(1);
  const [directive] = record._aws.CloudWatchMetrics;
  expect(directive.Namespace).toBe(METRICS_NAMESPACE);
  expect(directive.Dimensions).toContainEqual([STAGE_DIMENSION]);
  for (const set of directive.Dimensions) {
    for (const dimension of set) expect(typeof record[dimension], `dimension ${dimension}`).toBe('string');
  }
  expect(directive.Metrics.length).toBeGreaterThan(0);
  for (const metric of directive.Metrics) {
    expect(['Count', 'Milliseconds', 'Seconds']).toContain(metric.Unit);
    expect(Number.isFinite(record[metric.Name]), `value of ${metric.Name}`).toBe(true);
  }
  expect(record[STAGE_DIMENSION]).toBe(STAGE);
  expect(record.service).toBe(SERVICE_NAME);
}

function expectLogShape(line: Line) {
  expect(['INFO', 'WARN', 'ERROR']).toContain(line.level);
  expect(typeof line.message).toBe('string');
  expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(line.service).toBe(SERVICE_NAME);
}

/** Nothing a product carries, and not the API key, anywhere in stdout. */
function expectNoPayloadOrSecret(text: string) {
  expect(text).not.toContain(TITLE);
  expect(text).not.toContain(SKU);
  expect(text).not.toContain(BRAND);
  expect(text).not.toContain(ctx.key);
  expect(text).not.toMatch(/bearer/i);
}

describe('an import through the API and the worker', () => {
  it('writes JSON lines with request, job, tenant and chunk ids, EMF metrics that add up, and no payload or key', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(12, 'a', [3]) });
    expect(created.status).toBe(202);
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job).toMatchObject({ status: 'completed', processed: 12, failed: 1 });
    // A chunk's own line comes after the job's finish that its commit caused.
    await waitFor(
      async () => {
        const mine = out.lines().filter((l) => l.jobId === job.id);
        const done = mine.some((l) => l.message === 'job completed');
        return done && mine.filter((l) => l.message === 'chunk committed').length === 3 ? true : undefined;
      },
      'the "job completed" line and a line per chunk',
    );

    const lines = out.lines();
    for (const line of lines) (isEmf(line) ? expectEmfShape : expectLogShape)(line);

    const request = logLines(lines).find((l) => l.message === 'request' && l.method === 'POST');
    expect(request).toMatchObject({ route: '/v1/jobs', status: 202, tenantId: 'acme', requestId: expect.stringMatching(/^local-/) });

    const createdLine = logLines(lines).find((l) => l.message === 'job created');
    expect(createdLine).toMatchObject({ jobId: job.id, tenantId: 'acme', jobType: 'import', total: 12 });
    expect(createdLine!.requestId, 'the job created line carries the request id of its request').toBe(request!.requestId);

    const chunkLines = logLines(lines).filter((l) => l.jobId === job.id && /^chunk /.test(l.message));
    expect(chunkLines.map((l) => l.chunk).sort()).toEqual([0, 1, 2]);
    for (const line of chunkLines) {
      expect(line).toMatchObject({ message: 'chunk committed', tenantId: 'acme', jobType: 'import', messageId: expect.any(String) });
      expect(line.requestId).toMatch(/^local-/);
    }

    const ofJob = lines.filter((l) => isEmf(l) && l.jobId === job.id);
    expect(total(ofJob, 'ItemsProcessed')).toBe(12);
    expect(total(ofJob, 'ItemsFailed')).toBe(1);
    expect(total(ofJob, 'JobsCreated')).toBe(1);
    expect(total(ofJob, 'JobsCompleted')).toBe(1);
    expect(emfWith(ofJob, 'ChunkCommitLatency')).toHaveLength(3);
    const [duration] = emfWith(ofJob, 'JobDuration');
    expect(duration.JobDuration).toBeGreaterThanOrEqual(0);
    expect(duration.JobDuration).toBeLessThan(60);
    for (const record of ofJob) {
      expect(record._aws.CloudWatchMetrics[0].Dimensions).toEqual([[STAGE_DIMENSION, JOB_TYPE_DIMENSION], [STAGE_DIMENSION]]);
      expect(record).toMatchObject({ [JOB_TYPE_DIMENSION]: 'import', tenantId: 'acme' });
    }
    for (const record of emfWith(ofJob, 'ItemsProcessed')) {
      expect(record).toMatchObject({ chunk: expect.any(Number), requestId: expect.stringMatching(/^local-/) });
    }

    expectNoPayloadOrSecret(out.text());
  });
});

describe('the worker handler invoked like Lambda', () => {
  it('puts the invocation request id on every line, and counts duplicates and skipped chunks without counting items twice', async () => {
    const { id, chunks } = await heldJob(products(10, 'b'));
    expect(chunks.map((c) => c.n)).toEqual([0, 1]);
    const handler = createWorkerHandler({ ...ctx.stack.deps, events });
    const arn = ctx.stack.resources.itemsQueueArn;
    const start = out.lines().length; // after the API's lines for this job

    expect(await handler(sqsEvent([chunks[0]], arn), lambdaContext('req-first'))).toEqual({ batchItemFailures: [] });
    await handler(sqsEvent([chunks[0]], arn, 2), lambdaContext('req-again'));
    await handler(sqsEvent([chunks[1]], arn), lambdaContext('req-last'));
    await handler(sqsEvent([chunks[0]], arn, 3), lambdaContext('req-late'));

    const lines = out.lines().slice(start).filter((l) => l.jobId === id);
    expect(lines.length).toBeGreaterThan(0);
    const by = (requestId: string) => lines.filter((l) => l.requestId === requestId);
    expect(lines.every((l) => ['req-first', 'req-again', 'req-last', 'req-late'].includes(l.requestId))).toBe(true);

    expect(by('req-first').find((l) => !isEmf(l))).toMatchObject({ message: 'chunk committed', chunk: 0, tenantId: 'acme' });
    expect(total(by('req-first'), 'ItemsProcessed')).toBe(5);

    expect(by('req-again').find((l) => !isEmf(l))).toMatchObject({ message: 'chunk duplicate', chunk: 0, receiveCount: 2 });
    expect(total(by('req-again'), 'DuplicateDeliveriesSkipped')).toBe(1);
    expect(emfWith(by('req-again'), 'ItemsProcessed')).toHaveLength(0);

    expect(by('req-last').find((l) => l.message === 'job completed')).toMatchObject({ processed: 10, failed: 0 });
    expect(total(by('req-last'), 'JobsCompleted')).toBe(1);

    expect(by('req-late').find((l) => !isEmf(l))).toMatchObject({ message: 'chunk skipped', chunk: 0 });
    expect(total(by('req-late'), 'ChunksSkipped')).toBe(1);

    expect(total(lines, 'ItemsProcessed')).toBe(10);
    expectNoPayloadOrSecret(out.text());
  });

  it('reports a chunk that throws as a retry: a warning with the error, a ChunkFailures metric, the message in batchItemFailures', async () => {
    const { id, chunks } = await heldJob(products(5, 'c'));
    const broken: Deps = {
      ...ctx.stack.deps,
      events,
      processors: {
        ...ctx.stack.deps.processors,
        import: async () => {
          throw new Error('simulated outage');
        },
      },
    };
    const event = sqsEvent(chunks, ctx.stack.resources.itemsQueueArn);
    const response = await createWorkerHandler(broken)(event, lambdaContext('req-broken'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);

    const lines = out.lines().filter((l) => l.requestId === 'req-broken');
    expect(lines.find((l) => !isEmf(l))).toMatchObject({
      level: 'WARN',
      message: 'chunk failed, will be retried',
      jobId: id,
      tenantId: 'acme',
      chunk: 0,
      error: 'simulated outage',
    });
    const [failure] = emfWith(lines, 'ChunkFailures');
    expectEmfShape(failure);
    expect(failure).toMatchObject({ ChunkFailures: 1, [JOB_TYPE_DIMENSION]: 'import', jobId: id });
    expectNoPayloadOrSecret(out.text());
  });

  it('does not quote a message body that is not a chunk', async () => {
    const body = '[{"t":"QUOKKA"},]'; // short: V8 quotes all of it in its error message
    // The parser's own message would leak the body: that is what must not reach the log.
    expect(() => JSON.parse(body)).toThrow(/QUOKKA/);
    const event = { Records: [sqsRecord(body, ctx.stack.resources.itemsQueueArn)] };
    const response = await createWorkerHandler({ ...ctx.stack.deps, events })(event, lambdaContext('req-garbage'));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].messageId }]);

    const lines = out.lines().filter((l) => l.requestId === 'req-garbage');
    expect(lines.find((l) => !isEmf(l))).toMatchObject({ level: 'ERROR', error: 'ZodError', messageId: event.Records[0].messageId });
    const [failure] = emfWith(lines, 'ChunkFailures');
    expectEmfShape(failure);
    expect(failure._aws.CloudWatchMetrics[0].Dimensions).toEqual([[STAGE_DIMENSION]]);
    expect(out.text()).not.toContain('QUOKKA');
    expectNoPayloadOrSecret(out.text());
  });
});

describe('the dead-letter handler invoked like Lambda', () => {
  it('reports an exhausted chunk: items failed, ChunksExhausted, a warning, the finish, and no item or reason text', async () => {
    const { id, chunks } = await heldJob(products(10, 'd'));
    await createWorkerHandler({ ...ctx.stack.deps, events })(sqsEvent([chunks[0]], ctx.stack.resources.itemsQueueArn), lambdaContext('req-w'));
    // The last attempt of the dead-letter handler still meets the fault that exhausted the chunk.
    const broken = async () => {
      throw new Error('supplier API down');
    };
    const dlq = createDeadLetterHandler({ ...ctx.stack.deps, events, processors: { ...ctx.stack.deps.processors, import: broken } });
    const response = await dlq(sqsEvent([chunks[1]], ctx.stack.resources.deadLetterQueueArn, 1), lambdaContext('req-dlq'));
    expect(response).toEqual({ batchItemFailures: [] });

    const lines = out.lines().filter((l) => l.requestId === 'req-dlq');
    expect(lines.every((l) => l.jobId === id)).toBe(true);
    expect(lines.find((l) => l.message === 'chunk counted failed after exhausting its deliveries')).toMatchObject({
      level: 'WARN',
      chunk: 1,
      failed: 5,
      tenantId: 'acme',
    });
    const [exhausted] = emfWith(lines, 'ChunksExhausted');
    expectEmfShape(exhausted);
    expect(exhausted).toMatchObject({ ChunksExhausted: 1, ItemsProcessed: 5, ItemsFailed: 5, exhausted: true, chunk: 1 });
    expect(lines.find((l) => l.message === 'job completed')).toMatchObject({ jobId: id, processed: 10, failed: 5 });
    expect(out.text()).not.toContain('exhausted retries');
    expectNoPayloadOrSecret(out.text());
  });
});
