/**
 * Issue "every job ends": whatever a user sends, every job reaches a final
 * status with processed == total, the valid items of an affected chunk are
 * imported, and each bad item fails with its own specific reason.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { notifyMessage, taskMessage } from '@merchantops/core/jobs/messages';
import { newJob } from '@merchantops/core/jobs/create-job';
import { createNotificationsDeadLetterHandler, createPlansDeadLetterHandler } from '@merchantops/functions/dlq/dead-tasks';
import { inject, describe, expect, it } from 'vitest';
import { localS3, localSqs } from '@merchantops/local/clients';
import { inputKey } from '@merchantops/core/jobs/job-input';
import { overrideDispatcher, overrideJobs } from '../support/faults';
import { allFailures, products, uploadFile, useStack, waitFor, waitForJob, type Api } from '../support/stack';

/** Nested `depth` maps deep: { a: { a: ... 1 } }. */
const nested = (depth: number): unknown => (depth === 0 ? 1 : { a: nested(depth - 1) });

/** A valid product with extra fields. */
const product = (sku: string, extra: Record<string, unknown> = {}) => ({ sku, title: `Product ${sku}`, price: 5, ...extra });

async function runJob(api: Api, body: unknown, timeoutMs = 60_000) {
  const created = await api.post('/v1/jobs', body);
  expect(created.status, JSON.stringify(created.json)).toBe(202);
  const job = await waitForJob(api, created.json.id, timeoutMs);
  expect(job.processed).toBe(job.total);
  return job;
}

/** Reason per SKU; an item that could not be stored is known by its preview (`item.raw`). */
const reasonsBySku = (failures: any[]) =>
  Object.fromEntries(failures.map((f) => [f.item?.sku ?? f.item?.raw?.match(/"sku":"([^"]+)"/)?.[1], f.reason]));

describe('values DynamoDB or SQS would refuse', () => {
  const ctx = useStack();

  // Variants beyond the examples: the fix is the same rule, not these values.
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['BIG-INT', { externalId: 1234567890123456789 }, /^externalId: number out of range/],
    ['BIG-NEG', { stock: { count: -98765432109876543 } }, /^stock\.count: number out of range/],
    ['HUGE', { weight: 1e300 }, /^weight: number out of range/],
    ['TINY', { ratio: 1e-200 }, /^ratio: number out of range: .* closer to 0/],
    ['DENORMAL', { ratio: 5e-324 }, /^ratio: number out of range/],
    ['DEEP-31', { extra: nested(31) }, /nested more than 30 levels deep/],
    ['DEEP-50', { extra: nested(50) }, /nested more than 30 levels deep/],
    ['EMPTY-NAME', { '': 'x' }, /^"": attribute names must not be empty/],
    ['EMPTY-NESTED', { meta: { '': 1 } }, /^meta\."": attribute names must not be empty/],
    ['EMPTY-IN-LIST', { meta: [{ ok: 1 }, { '': 2 }] }, /^meta\[1\]\."": attribute names must not be empty/],
    ['LONE-SURROGATE', { note: 'half \ud800 a pair' }, /^note: text contains an unpaired surrogate/],
    // 60,000 one-element lists: 240 KB of JSON (under the 256 KiB item limit), 410 KB in DynamoDB.
    ['LISTS-60K', { samples: new Array(60_000).fill([0]) }, /^item too large: 41\d\.\d KB as stored \(max 392\.0 KB\)$/],
  ];
  // 110,000 zeros: 220 KB of JSON and about 322 KB in DynamoDB: large, but storable.
  const storable = product('ZEROS-110K', { samples: new Array(110_000).fill(0) });

  it('fails each unstorable item alone with its own reason, imports every valid neighbour, and ends', async () => {
    const valid = Array.from({ length: 40 }, (_, i) => product(`OK-${i}`));
    const items = [...valid.slice(0, 20), ...bad.map(([sku, extra]) => product(sku, extra)), storable, ...valid.slice(20)];
    const job = await runJob(ctx.api, { type: 'import', items });
    const expectedFailures = bad.length;
    expect(job).toMatchObject({ status: 'completed', total: items.length, failed: expectedFailures });
    expect(job.result).toEqual({ created: items.length - expectedFailures, updated: 0, unchanged: 0 });

    const reasons = reasonsBySku(await allFailures(ctx.api, job.id));
    for (const [sku, , reason] of bad) expect(reasons[sku], sku).toMatch(reason);
    expect((await ctx.api.get('/v1/products/ZEROS-110K')).json.samples).toHaveLength(110_000);
    for (const { sku } of valid) expect((await ctx.api.get(`/v1/products/${sku}`)).status, sku).toBe(200);
  });

  it('accepts every character AWS accepts, and stores it exactly (U+FFFF, emoji, controls, astral planes)', async () => {
    const titles = {
      'CH-FFFF': 'noncharacter \uffff end',
      'CH-FFFE': '\ufffe first',
      'CH-EMOJI': 'mug ☕️ with 🚀 and 👩‍👩‍👧',
      'CH-CONTROL': 'bell \u0007 and nul \u0000 inside',
      'CH-ASTRAL': 'math 𝔸𝔹ℂ and 𠜎 cjk ext-b',
      'CH-RTL': 'עברית and العربية',
    };
    const items = Object.entries(titles).map(([sku, title]) => ({ sku, title, price: 1 }));
    const headers = { 'idempotency-key': `chars-${Date.now()}` };
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items }, headers);
    expect(created.status).toBe(202);
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job).toMatchObject({ status: 'completed', total: 6, processed: 6, failed: 0 });
    for (const [sku, title] of Object.entries(titles)) {
      expect((await ctx.api.get(`/v1/products/${sku}`)).json.title, sku).toBe(title.trim());
    }
  });

  it('keeps the job record small and the summary bounded whatever the number of distinct reasons', async () => {
    // 1,000 items, each failing with its own reason naming a user-chosen attribute key (50 times the reasons kept by name).
    const items = Array.from({ length: 1000 }, (_, i) => product(`R-${i}`, { attributes: { [`key-${i}-${'k'.repeat(60)}`]: i } }));
    const job = await runJob(ctx.api, { type: 'import', items }, 120_000);
    expect(job).toMatchObject({ status: 'completed', total: 1000, failed: 1000 });
    expect(job.result).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(job.failureSummary.length).toBeLessThanOrEqual(50);
    const named = job.failureSummary.reduce((sum: number, { count }: { count: number }) => sum + count, 0);
    expect(named + job.otherReasons).toBe(1000);
    const response = await ctx.api.get(`/v1/jobs/${job.id}`);
    expect(Buffer.byteLength(JSON.stringify(response.json))).toBeLessThan(32 * 1024);
    // Every failure is still listed with its own reason.
    const failures = await allFailures(ctx.api, job.id);
    expect(failures).toHaveLength(1000);
    expect(failures[567].reason).toContain('attributes.key-567-');
  });
});

describe('uploaded files with rows that could never travel or be stored', () => {
  const ctx = useStack();

  it('fails a row too long for a queue message alone and imports the rest of the file', async () => {
    const huge = 'x'.repeat(1_200_000);
    // 320 KB as stored, but each emoji travels as a 12-byte escape: 960 KB as a message.
    const emoji = '🚀'.repeat(80_000);
    const csv = [
      'sku,title,price,description,attr:',
      'F-1,One,1,short,',
      `F-2,Two,2,${huge},`,
      'F-3,Three,3,ok,x',
      'F-4,Four,4,fine,',
      `F-5,Five,5,${emoji},`,
    ].join('\n');
    const created = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: await uploadFile(ctx.api, 'long.csv', csv) } });
    const job = await waitForJob(ctx.api, created.json.id, 60_000);
    expect(job).toMatchObject({ status: 'completed', total: 5, processed: 5, failed: 3 });
    const failures = await allFailures(ctx.api, job.id);
    expect(failures.map((f) => [f.line, f.reason.replace(/[\d.]+ KB/g, 'N KB')])).toEqual([
      [3, 'item too large: N KB as stored (max N KB)'],
      [4, 'attributes."": attribute names must not be empty'],
      [6, 'item too large: N KB as a queue message (max N KB)'],
    ]);
    // The failure keeps a preview, never the 1.2 MB row.
    expect(failures[0].item.$error).toBe(failures[0].reason);
    expect(failures[0].item.raw.length).toBeLessThanOrEqual(501);
    for (const sku of ['F-1', 'F-4']) expect((await ctx.api.get(`/v1/products/${sku}`)).status, sku).toBe(200);
  });
});

describe('a commit that fails', () => {
  let failing = 0;
  const ctx = useStack({
    visibilityTimeoutSeconds: 1,
    workerDeps: (deps) =>
      overrideJobs(deps, {
        async commitChunk(jobId, commit, options) {
          // Chunk 1's commit fails on all five worker deliveries.
          if (commit.chunk === 1 && failing < 5) {
            failing++;
            throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' });
          }
          return deps.jobs.commitChunk(jobId, commit, options);
        },
      }),
  });

  it('is recorded as what it was, and the valid products it wrote are not turned into failures', async () => {
    const job = await runJob(ctx.api, { type: 'import', items: products(60, 0, 'CF') });
    expect(job).toMatchObject({ status: 'completed', total: 60, failed: 0, result: { created: 60, updated: 0, unchanged: 0 } });
    expect(failing).toBe(5);
    expect(await ctx.stack.deps.jobs.lastChunkError(job.id, 1)).toBe(
      'the commit failed: ValidationException: Item size has exceeded the maximum allowed size',
    );
  });
});

describe('lost messages and the sweeper', () => {
  /** Whether a chunk's message is lost on its way; `seen` counts the sends of each chunk. */
  let lose: (n: number, seen: number) => boolean = () => false;
  let purged = false;
  const sends = new Map<string, number>();
  const sqs = () => localSqs(inject('sqsEndpoint'));
  // Both the API's first dispatch and the planner's re-drives go through the lossy dispatcher.
  const lossy = (deps: Parameters<typeof overrideDispatcher>[0]) =>
    overrideDispatcher(deps, {
      async send(chunks) {
        const kept = chunks.filter((chunk) => {
          const key = `${chunk.jobId}#${chunk.n}`;
          const seen = sends.get(key) ?? 0;
          sends.set(key, seen + 1);
          return !lose(chunk.n, seen);
        });
        return deps.dispatcher.send(kept);
      },
    });
  const ctx = useStack({
    // Stalled after 0.5 s without progress (checked every 0.25 s). A stall seen too early only re-drives
    // chunks again, which commit once; the tests below hold either way.
    sweeper: { intervalSeconds: 0.25, stallAfterSeconds: 0.5, maxRedrives: 3 },
    apiDeps: lossy,
    workerDeps: (deps) => ({
      ...lossy(deps),
      processors: {
        ...deps.processors,
        // The PURGE job's chunks are slow until the purge, so most of them are still queued then.
        async import(chunk, processorDeps) {
          if (!purged && (chunk.items[0] as { sku?: string })?.sku?.startsWith('PURGE')) await new Promise((r) => setTimeout(r, 300));
          return deps.processors.import(chunk, processorDeps);
        },
      },
    }),
  });

  it('re-drives exactly the chunks that never committed, to exact counts', async () => {
    lose = (n, seen) => n % 3 === 1 && seen === 0; // lost once, then re-driven
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(500, 10, 'LOST') });
    const job = await waitForJob(ctx.api, created.json.id, 60_000);
    expect(job).toMatchObject({ status: 'completed', total: 500, processed: 500, failed: 50, stalled: false });
    expect(job.result).toEqual({ created: 450, updated: 0, unchanged: 0 });
    expect(await allFailures(ctx.api, job.id)).toHaveLength(50);
    expect(await ctx.stack.deps.jobs.committedChunks(job.id)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
  });

  it('re-drives a job whose queued messages were purged', async () => {
    lose = () => false;
    const stopped = await ctx.api.post('/v1/jobs', { type: 'import', items: products(2000, 0, 'PURGE') });
    // Everything still queued is gone at once, as after a restart of the emulator.
    await sqs().send(new PurgeQueueCommand({ QueueUrl: ctx.stack.resources.itemsQueueUrl }));
    purged = true;
    const job = await waitForJob(ctx.api, stopped.json.id, 60_000);
    expect(job).toMatchObject({ status: 'completed', total: 2000, processed: 2000, failed: 0, stalled: false });
    expect(job.result).toEqual({ created: 2000, updated: 0, unchanged: 0 });
    // The last of the 80 chunks was purged before a worker took it, and sent again by the sweeper.
    expect(sends.get(`${job.id}#79`)).toBeGreaterThanOrEqual(2);
  });

  it('fails a job whose input is gone, saying so', async () => {
    lose = () => true;
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(30, 0, 'GONE') });
    const bucket = ctx.stack.resources.filesBucket;
    await localS3(inject('sqsEndpoint')).send(
      new DeleteObjectCommand({ Bucket: bucket, Key: inputKey({ tenantId: 'acme', id: created.json.id }) }),
    );
    lose = () => false;
    const job = await waitForJob(ctx.api, created.json.id, 30_000);
    expect(job).toMatchObject({ status: 'failed', processed: 0, error: expect.stringContaining("the job's input is gone") });
  });

  it('fails a job that stays stuck through its re-drives, with how many items never finished', async () => {
    lose = () => true; // every send is lost, re-drives too
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(40, 0, 'STUCK') });
    // While it is being re-driven, the job says it is stalled.
    const stalled = await waitFor(async () => {
      const { json } = await ctx.api.get(`/v1/jobs/${created.json.id}`);
      return json.stalled ? json : undefined;
    }, 'the job to show as stalled');
    expect(stalled).toMatchObject({ status: 'running', stalledAt: expect.any(String) });
    const job = await waitForJob(ctx.api, created.json.id, 60_000);
    expect(job).toMatchObject({ status: 'failed', error: 'stalled: no progress after 3 re-drives; 40 of 40 items never finished' });
    expect(sends.get(`${job.id}#0`)).toBe(4); // the first send and three re-drives
    lose = () => false;
  });
});

describe('queues and their dead-letter handlers', () => {
  const ctx = useStack({ callbackBackoffSeconds: 1 });

  it('creates every local queue with the 1 MiB message size and 14 days retention of the shared definitions', async () => {
    const { resources } = ctx.stack;
    const urls = [
      resources.itemsQueueUrl,
      resources.deadLetterQueueUrl,
      resources.plansQueueUrl,
      resources.plansDeadLetterQueueUrl,
      resources.notificationsQueueUrl,
      resources.notificationsDeadLetterQueueUrl,
    ];
    for (const url of urls) {
      const { Attributes } = await localSqs(inject('sqsEndpoint')).send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
      expect(Attributes, url).toMatchObject({ MaximumMessageSize: String(1024 * 1024), MessageRetentionPeriod: String(14 * 24 * 3600) });
    }
  });

  const deadLetter = (body: string, receiveCount = 1): SQSRecord => ({
    messageId: `dead-${Math.random()}`,
    receiptHandle: 'unused',
    body,
    attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:dead',
    awsRegion: 'us-east-1',
  });

  it('fails the job of a plan task that never finished (a planner that timed out on every delivery)', async () => {
    // A planned job whose plan task is in the dead-letter queue (no planner ever saw it here).
    const fresh = newJob(ctx.stack.deps, 'acme', 'export', { kind: 'select', all: true }, { format: 'csv' });
    const { job } = await ctx.stack.deps.jobs.create(fresh);
    const handler = createPlansDeadLetterHandler(ctx.stack.deps);
    expect(await handler({ Records: [deadLetter(taskMessage.encode({ kind: 'plan', jobId: job.id }), 1)] })).toEqual({ batchItemFailures: [] });
    expect((await ctx.api.get(`/v1/jobs/${job.id}`)).json).toMatchObject({
      status: 'failed',
      error: 'the plan step never finished after 5 attempts (timed out or crashed)',
    });
    // A message that is not a task is dropped, not retried for ever.
    expect(await handler({ Records: [deadLetter('not json')] })).toEqual({ batchItemFailures: [] });
  });

  it('gives up a callback whose attempts never finished, saying why', async () => {
    const receiverless = 'http://127.0.0.1:9/never';
    await ctx.stack.rotateWebhookSecret('acme');
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1, 0, 'CB'), callbackUrl: receiverless });
    await waitForJob(ctx.api, created.json.id);
    const handler = createNotificationsDeadLetterHandler(ctx.stack.deps);
    // The callback is pending (its first attempt may be running): the dead letter ends it.
    const record = await waitFor(async () => (await ctx.stack.deps.notifications.get(created.json.id)) ?? undefined, 'the notification');
    expect(record.jobId).toBe(created.json.id);
    await waitFor(async () => {
      await handler({ Records: [deadLetter(notifyMessage.encode(created.json.id))] });
      const now = await ctx.stack.deps.notifications.get(created.json.id);
      return now?.state === 'failed' ? now : undefined;
    }, 'the callback to be given up', 20_000);
    const { json } = await ctx.api.get(`/v1/jobs/${created.json.id}/notifications`);
    expect(JSON.stringify(json)).toContain('failed');
  });
});

describe('a job waiting behind a backlog', () => {
  const sent = new Map<string, number>();
  let seenStalled = false;
  const counting = (deps: Parameters<typeof overrideDispatcher>[0]) =>
    overrideDispatcher(deps, {
      async send(chunks) {
        for (const chunk of chunks) sent.set(`${chunk.jobId}#${chunk.n}`, (sent.get(`${chunk.jobId}#${chunk.n}`) ?? 0) + 1);
        return deps.dispatcher.send(chunks);
      },
    });
  const ctx = useStack({
    chunkSize: 10,
    workerConcurrency: 1,
    // Stalled after 1 s without progress, checked every 0.5 s: far less than the backlog takes.
    sweeper: { intervalSeconds: 0.5, stallAfterSeconds: 1, maxRedrives: 1 },
    apiDeps: counting,
    workerDeps: (deps) => ({
      ...counting(deps),
      processors: {
        ...deps.processors,
        async import(chunk, processorDeps) {
          await new Promise((resolve) => setTimeout(resolve, 400));
          return deps.processors.import(chunk, processorDeps);
        },
      },
    }),
  });

  it('is neither re-driven nor failed while chunks wait on the queue', async () => {
    const backlog = await ctx.api.post('/v1/jobs', { type: 'import', items: products(400, 0, 'BACKLOG') });
    const waiting = await ctx.api.post('/v1/jobs', { type: 'import', items: products(20, 0, 'BEHIND') });
    const watch = setInterval(async () => {
      const { json } = await ctx.api.get(`/v1/jobs/${waiting.json.id}`);
      if (json?.stalled) seenStalled = true;
    }, 200);
    try {
      const behind = await waitForJob(ctx.api, waiting.json.id, 60_000);
      expect(behind).toMatchObject({ status: 'completed', total: 20, processed: 20, failed: 0 });
      expect(await waitForJob(ctx.api, backlog.json.id, 60_000)).toMatchObject({ status: 'completed', processed: 400 });
    } finally {
      clearInterval(watch);
    }
    expect(seenStalled).toBe(false);
    // Every chunk of both jobs was sent once: nothing was re-driven into the backlog.
    const counts = [...sent.entries()].filter(([key]) => key.startsWith(waiting.json.id) || key.startsWith(backlog.json.id));
    expect(counts).toHaveLength(42);
    expect(counts.every(([, count]) => count === 1)).toBe(true);
  });
});
