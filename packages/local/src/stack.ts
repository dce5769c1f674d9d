import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { S3Client } from '@aws-sdk/client-s3';
import { awsDeps } from '@merchantops/aws/deps';
import type { Deps } from '@merchantops/core/deps';
import { newSecretsKey } from '@merchantops/core/webhooks/secret-box';
import type { TenantLimits } from '@merchantops/core/tenants/tenant-limits';
import { DEFAULT_CHUNK_SIZE } from '@merchantops/core/config';
import {
  deadLetterQueue,
  itemsQueue,
  notificationsDeadLetterQueue,
  notificationsQueue,
  plansDeadLetterQueue,
  plansQueue,
  sweeper as sweeperDefaults,
} from '@merchantops/core/resources/queues';
import { createApiKey, rotateWebhookSecret } from '@merchantops/core/tenants/tenant-admin';
import { createApi } from '@merchantops/functions/api/app';
import { createWorkerHandler } from '@merchantops/functions/worker/handler';
import { createDeadLetterHandler } from '@merchantops/functions/dlq/handler';
import { createPlannerHandler } from '@merchantops/functions/planner/handler';
import { createNotifierHandler } from '@merchantops/functions/notifier/handler';
import { createNotificationsDeadLetterHandler, createPlansDeadLetterHandler } from '@merchantops/functions/dlq/dead-tasks';
import { createSweeperHandler } from '@merchantops/functions/sweeper/handler';
import type { SweeperSettings } from '@merchantops/core/jobs/sweep';
import { jobTelemetry } from '@merchantops/functions/shared/job-metrics';
import { bootstrapResources, type LocalResources } from './bootstrap';
import { localDynamo, localS3, localSqs } from './clients';
import { SqsEventSource } from './event-source';
import { chunkTenant, FairSqsEventSource } from './fair-event-source';
import { DurableFileStore } from './durable-files';

export interface StackOptions {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  /** Prefix of table and queue names, so several stacks can share emulators. */
  prefix?: string;
  /** API port; 0 picks a free one. */
  port?: number;
  chunkSize?: number;
  /** Local default is short so a failed chunk comes back quickly. */
  visibilityTimeoutSeconds?: number;
  /** Worker invocations that may run at once (Lambda's maximum concurrency). */
  workerConcurrency?: number;
  /**
   * The items queue's event source serves tenants fairly, as an SQS fair queue does in AWS
   * (fair-event-source.ts); on by default, `false` for the plain first-come bridge (the benchmark's
   * --no-fair-share), `{ maxHeld }` to set its look-ahead.
   */
  fairShare?: boolean | { maxHeld: number };
  /** Job log lines and EMF metrics as the Lambdas write them: INFO and EMF on stdout, WARN/ERROR on stderr (npm start turns this on). */
  telemetry?: boolean;
  /** First retry delay of a failed completion callback. */
  callbackBackoffSeconds?: number;
  /**
   * The sweeper on a timer, as the scheduled function runs in AWS: every
   * `intervalSeconds`, stalled jobs are re-driven. Off when not given.
   */
  sweeper?: SweeperSettings & { intervalSeconds: number };
  /**
   * Re-drive every active job once at start: the emulator keeps queues in
   * memory, so after a restart every queued message is gone (npm start with
   * a data folder turns this on).
   */
  recoverOnStart?: boolean;
  /** Tests wrap the ports the worker uses, to inject a fault into the real path. */
  workerDeps?: (deps: Deps) => Deps;
  apiDeps?: (deps: Deps) => Deps;
  /** SDK clients to use instead of new ones (the benchmark passes clients that count their requests). */
  clients?: { dynamo: DynamoDBClient; sqs: SQSClient; s3: S3Client };
  onError?: (error: unknown) => void;
  /** Key sealing webhook signing secrets (base64, 32 bytes); a random one when absent (npm start passes its key file's). */
  webhookSecretsKey?: string;
  /** Per-tenant limits; the defaults when absent. */
  tenantLimits?: TenantLimits;
  /** Largest upload in bytes; the default when absent. */
  maxUploadBytes?: number;
  /** Keep every file on disk here too, and put it back into the emulator after a restart (npm start with a data folder). */
  filesDir?: string;
}

export interface LocalStack {
  url: string;
  resources: LocalResources;
  deps: Deps;
  /** Creates the tenant if needed and returns a new API key for it. */
  createApiKey(tenantId: string, key?: string): Promise<string>;
  /** Creates or rotates the tenant's webhook signing secret and returns the new one. */
  rotateWebhookSecret(tenantId: string, graceSeconds?: number): Promise<string>;
  stop(): Promise<void>;
}

/** The whole application on the emulators: API on Node, worker and DLQ handler behind event sources. */
export async function startStack(options: StackOptions): Promise<LocalStack> {
  const dynamo = options.clients?.dynamo ?? localDynamo(options.dynamoEndpoint);
  const sqs = options.clients?.sqs ?? localSqs(options.sqsEndpoint);
  const s3 = options.clients?.s3 ?? localS3(options.sqsEndpoint);
  const resources = await bootstrapResources(
    { dynamo, sqs, s3 },
    options.prefix ?? 'local',
    options.visibilityTimeoutSeconds ?? 30,
  );
  const deps = awsDeps(
    {
      jobsTable: resources.jobsTable,
      productsTable: resources.productsTable,
      itemsQueueUrl: resources.itemsQueueUrl,
      plansQueueUrl: resources.plansQueueUrl,
      notificationsQueueUrl: resources.notificationsQueueUrl,
      filesBucket: resources.filesBucket,
      chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      // Locally, receivers run on this machine over plain http.
      allowLocalCallbacks: true,
      callbackBackoffSeconds: options.callbackBackoffSeconds ?? 30,
      webhookSecretsKey: options.webhookSecretsKey ?? newSecretsKey(),
      tenantLimits: options.tenantLimits,
      maxUploadBytes: options.maxUploadBytes,
    },
    { dynamo, sqs, s3 },
  );
  // The same log lines and EMF metric records as in Lambda (Powertools: INFO and EMF on stdout, WARN/ERROR on stderr).
  if (options.telemetry) deps.events = jobTelemetry();
  if (options.filesDir) deps.files = new DurableFileStore(deps.files, options.filesDir);
  const workerDeps = options.workerDeps?.(deps) ?? deps;

  const sources = [
    itemsEventSource({
      sqs,
      queueUrl: resources.itemsQueueUrl,
      queueArn: resources.itemsQueueArn,
      handler: createWorkerHandler(workerDeps),
      batchSize: itemsQueue.batchSize,
      concurrency: options.workerConcurrency ?? 2,
      onError: options.onError,
    }, options),
    new SqsEventSource({
      sqs,
      queueUrl: resources.plansQueueUrl,
      queueArn: resources.plansQueueArn,
      handler: createPlannerHandler(workerDeps),
      batchSize: plansQueue.batchSize,
      concurrency: 1,
      onError: options.onError,
    }),
    new SqsEventSource({
      sqs,
      queueUrl: resources.notificationsQueueUrl,
      queueArn: resources.notificationsQueueArn,
      handler: createNotifierHandler(workerDeps),
      batchSize: notificationsQueue.batchSize,
      concurrency: 1,
      onError: options.onError,
    }),
    new SqsEventSource({
      sqs,
      queueUrl: resources.deadLetterQueueUrl,
      queueArn: resources.deadLetterQueueArn,
      handler: createDeadLetterHandler(workerDeps),
      batchSize: deadLetterQueue.batchSize,
      concurrency: 1,
      onError: options.onError,
    }),
    new SqsEventSource({
      sqs,
      queueUrl: resources.plansDeadLetterQueueUrl,
      queueArn: resources.plansDeadLetterQueueArn,
      handler: createPlansDeadLetterHandler(workerDeps),
      batchSize: plansDeadLetterQueue.batchSize,
      concurrency: 1,
      onError: options.onError,
    }),
    new SqsEventSource({
      sqs,
      queueUrl: resources.notificationsDeadLetterQueueUrl,
      queueArn: resources.notificationsDeadLetterQueueArn,
      handler: createNotificationsDeadLetterHandler(workerDeps),
      batchSize: notificationsDeadLetterQueue.batchSize,
      concurrency: 1,
      onError: options.onError,
    }),
  ].map((source) => source.start());

  const sweeper = startSweeper(workerDeps, options);

  const app = createApi(options.apiDeps?.(deps) ?? deps);
  const server = await listen(app.fetch, options.port ?? 0);
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    resources,
    deps,
    createApiKey: (tenantId, key) => createApiKey(deps.keys, tenantId, key),
    rotateWebhookSecret: (tenantId, graceSeconds) => rotateWebhookSecret(deps.keys, tenantId, graceSeconds),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sweeper.stop();
      await Promise.all(sources.map((source) => source.stop()));
      dynamo.destroy();
      sqs.destroy();
      s3.destroy();
    },
  };
}

/** The worker's event source: fair across tenants unless turned off. */
function itemsEventSource(source: ConstructorParameters<typeof SqsEventSource>[0], options: StackOptions) {
  if (options.fairShare === false) return new SqsEventSource(source);
  return new FairSqsEventSource({
    ...source,
    groupOf: chunkTenant,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    maxHeld: typeof options.fairShare === 'object' ? options.fairShare.maxHeld : undefined,
  });
}

/** The scheduled sweeper's local stand-in: one sweep at a time, never overlapping. */
function startSweeper(deps: Deps, options: StackOptions) {
  const settings = options.sweeper;
  if (!settings && !options.recoverOnStart) return { stop: async () => {} };
  const sweepNow = createSweeperHandler(deps, settings ?? sweeperDefaults);
  let running: Promise<unknown> = Promise.resolve();
  const run = (everything: boolean) => {
    running = running.then(() => sweepNow({ everything })).catch((error) => options.onError?.(error));
  };
  if (options.recoverOnStart) run(true);
  const timer = settings ? setInterval(() => run(false), settings.intervalSeconds * 1000) : undefined;
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: '127.0.0.1' }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`port ${port} (API) is already in use: stop whatever uses it, or set PORT to another port`)
          : error,
      ),
    );
  });
}
