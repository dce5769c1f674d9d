/** What both designs' runs share: metered clients, memory sampling, the result of one run. */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { localDynamo, localS3, localSqs } from '@merchantops/local/clients';
import type { Capacity, Meter, OpCount } from './meter';

export interface Endpoints {
  dynamoEndpoint: string;
  sqsEndpoint: string;
}

export interface RunOptions {
  chunkSize?: number;
  concurrency: number;
  /** Visibility timeout of the queues the run creates. */
  visibilityTimeoutSeconds: number;
  /** The project's fair-share event source (default on); false: the plain first-come bridge. */
  fairShare?: boolean;
}

export interface Counters {
  processed: number;
  failed: number;
  /** Products the tenant has in the products table afterwards. */
  products: number;
  expected: { processed: number; failed: number; products: number };
  exact: boolean;
}

export interface RunResult {
  design: 'project' | 'per-item';
  items: number;
  seconds: number;
  itemsPerSecond: number;
  /** The pipeline's requests by "Service Operation" (the benchmark's own status polls taken out). */
  ops: Record<string, OpCount>;
  /** The benchmark's status polls (GET /v1/jobs/{id} for the project), not in ops. */
  polls: { count: number; requestsEach: number };
  aws: Capacity;
  local: Capacity;
  peakRssMb: number;
  peakHeapMb: number;
  counters: Counters;
  /** Items per chunk the project's stack used. */
  chunkSize?: number;
}

/** Emulator clients with the meter's middleware on each. */
export function meteredClients(endpoints: Endpoints, meter: Meter) {
  return {
    dynamo: meter.attach(localDynamo(endpoints.dynamoEndpoint), 'DynamoDB'),
    sqs: meter.attach(localSqs(endpoints.sqsEndpoint), 'SQS'),
    s3: meter.attach(localS3(endpoints.sqsEndpoint), 'S3'),
  };
}

/** Clients for the benchmark's own set-up and checks: not counted. */
export function adminClients(endpoints: Endpoints) {
  return {
    dynamo: localDynamo(endpoints.dynamoEndpoint),
    sqs: localSqs(endpoints.sqsEndpoint),
    s3: localS3(endpoints.sqsEndpoint),
  };
}

/** Samples this process's memory every 25 ms until stopped; returns the peaks in MB. */
export function sampleMemory() {
  (globalThis as { gc?: () => void }).gc?.();
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 25);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssMb: rss / 2 ** 20, peakHeapMb: heap / 2 ** 20 };
    },
  };
}

/** How many products a tenant has (a COUNT query, page by page). */
export async function countProducts(dynamo: DynamoDBClient, table: string, tenantId: string): Promise<number> {
  let count = 0;
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamo.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'tenantId = :t',
        ExpressionAttributeValues: { ':t': { S: tenantId } },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export function checkCounters(
  found: { processed: number; failed: number; products: number },
  expected: Counters['expected'],
): Counters {
  const exact =
    found.processed === expected.processed && found.failed === expected.failed && found.products === expected.products;
  return { ...found, expected, exact };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `intervalMs` until it returns a value; counts the polls. */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs: number,
  intervalMs = 50,
): Promise<{ value: T; polls: number }> {
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  while (Date.now() < deadline) {
    polls++;
    const value = await check();
    if (value !== undefined) return { value, polls };
    await sleep(intervalMs);
  }
  throw new Error(`benchmark: timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}
