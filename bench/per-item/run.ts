/**
 * The per-item baseline, end to end on the same emulators: a producer that
 * writes the job item and sends one message per item (SendMessageBatch of 10,
 * up to 8 calls at once, like the project's dispatcher), and the Powertools
 * consumer behind the same local event-source bridge, at the same concurrency.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, UpdateTimeToLiveCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { bootstrapResources } from '@merchantops/local/bootstrap';
import { SqsEventSource } from '@merchantops/local/event-source';
import { Meter } from '../meter';
import {
  adminClients,
  checkCounters,
  countProducts,
  meteredClients,
  pollUntil,
  sampleMemory,
  sleep,
  type Endpoints,
  type RunOptions,
  type RunResult,
} from '../measure';
import type { Workload } from '../workload';
import { createPerItemHandler, jobKey, type ItemMessage } from './handler';

const SEND_BATCH = 10;
const SENDS_AT_ONCE = 8;

export async function runPerItem(
  endpoints: Endpoints,
  workload: Workload,
  options: RunOptions,
  runId: string,
): Promise<RunResult> {
  const admin = adminClients(endpoints);
  const meter = new Meter();
  const clients = meteredClients(endpoints, meter);
  const resources = await bootstrapResources(admin, `perItem${runId}`, options.visibilityTimeoutSeconds);
  const idempotencyTable = `perItem${runId}-Idempotency`;
  await createIdempotencyTable(admin.dynamo, idempotencyTable);
  const tables = { jobsTable: resources.jobsTable, productsTable: resources.productsTable, idempotencyTable };
  const errors: unknown[] = [];
  const source = new SqsEventSource({
    sqs: clients.sqs,
    queueUrl: resources.itemsQueueUrl,
    queueArn: resources.itemsQueueArn,
    handler: createPerItemHandler(clients.dynamo, tables),
    batchSize: SEND_BATCH,
    concurrency: options.concurrency,
    onError: (error) => errors.push(error),
  }).start();
  const tenantId = `bench-${runId}`;
  const reader = DynamoDBDocumentClient.from(admin.dynamo);
  try {
    await sleep(200);
    meter.reset();
    const memory = sampleMemory();
    const started = performance.now();
    const jobId = randomUUID();
    await produce(clients, tables.jobsTable, resources.itemsQueueUrl, tenantId, jobId, workload.items);
    const { value: job, polls } = await pollUntil(
      async () => {
        const { Item: job } = await reader.send(
          new GetCommand({ TableName: tables.jobsTable, Key: jobKey(jobId), ConsistentRead: true }),
        );
        return job?.status === 'completed' ? job : undefined;
      },
      `per-item job ${jobId} to complete`,
      600_000,
    );
    const seconds = (performance.now() - started) / 1000;
    const peaks = memory.stop();
    // Late acknowledgements of the last batches belong to the run.
    await sleep(300);
    meter.stop();
    const totals = meter.totals();
    const aws = await meter.capacityByAwsRules(admin.dynamo);
    const products = await countProducts(admin.dynamo, tables.productsTable, tenantId);
    if (errors.length) console.error(`per-item: ${errors.length} invocation error(s), first: ${String(errors[0])}`);
    return {
      design: 'per-item',
      items: workload.items.length,
      seconds,
      itemsPerSecond: workload.items.length / seconds,
      ops: totals.ops,
      // Its status reads go through an uncounted client.
      polls: { count: polls, requestsEach: 0 },
      aws,
      local: totals.local,
      ...peaks,
      counters: checkCounters(
        { processed: Number(job.processed), failed: Number(job.failed), products },
        { processed: workload.items.length, failed: workload.invalid, products: workload.products },
      ),
    };
  } finally {
    await source.stop();
    for (const client of [...Object.values(clients), ...Object.values(admin)]) client.destroy();
  }
}

/** What an API would do for a per-item import: store the job, then one message per item. */
async function produce(
  clients: { dynamo: DynamoDBClient; sqs: SQSClient },
  jobsTable: string,
  queueUrl: string,
  tenantId: string,
  jobId: string,
  items: unknown[],
) {
  const db = DynamoDBDocumentClient.from(clients.dynamo);
  const createdAt = new Date().toISOString();
  await db.send(
    new PutCommand({
      TableName: jobsTable,
      Item: {
        ...jobKey(jobId),
        // Listable newest-first per tenant, like the project's jobs.
        gsi1pk: `TENANT#${tenantId}`,
        gsi1sk: `${createdAt}#${jobId}`,
        id: jobId,
        tenantId,
        type: 'import',
        status: 'running',
        total: items.length,
        processed: 0,
        failed: 0,
        createdAt,
      },
    }),
  );
  const batches: ItemMessage[][] = [];
  for (let i = 0; i < items.length; i += SEND_BATCH) {
    batches.push(items.slice(i, i + SEND_BATCH).map((item, offset) => ({ tenantId, jobId, index: i + offset, item })));
  }
  let next = 0;
  const sender = async () => {
    while (next < batches.length) await sendBatch(clients.sqs, queueUrl, batches[next++]);
  };
  await Promise.all(Array.from({ length: SENDS_AT_ONCE }, sender));
}

/** SendMessageBatch, re-sending the entries SQS reports in Failed[] with backoff. */
async function sendBatch(sqs: SQSClient, queueUrl: string, messages: ItemMessage[]) {
  let entries = messages.map((message) => ({ Id: String(message.index), MessageBody: JSON.stringify(message) }));
  for (let round = 0; entries.length; round++) {
    if (round >= 8) throw new Error('per-item: SendMessageBatch kept failing entries');
    if (round > 0) await sleep(25 * 2 ** round);
    const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    const failed = new Set((Failed ?? []).map((f) => f.Id));
    entries = entries.filter((e) => failed.has(e.Id));
  }
}

/** The table Powertools' DynamoDB persistence layer expects: partition key `id`, TTL on `expiration`. */
async function createIdempotencyTable(dynamo: DynamoDBClient, name: string) {
  await dynamo.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }),
  );
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
  await dynamo.send(
    new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } }),
  );
}
