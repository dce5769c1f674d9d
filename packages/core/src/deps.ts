import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoJobStore } from './adapters/aws/dynamo-job-store';
import { DynamoKeyStore } from './adapters/aws/dynamo-key-store';
import { DynamoProductStore } from './adapters/aws/dynamo-product-store';
import { SqsDispatcher } from './adapters/aws/sqs-dispatcher';
import { documentClient, s3Client, sqsClient } from './adapters/aws/clients';
import type { S3Client } from '@aws-sdk/client-s3';
import { readConfig, type Config } from './config';
import { noEvents, type JobEvents } from './jobs/events';
import type { Dispatcher, FileStore, JobStore, KeyStore, NotificationStore, ProductStore } from './ports';
import { DynamoNotificationStore } from './adapters/aws/dynamo-notification-store';
import { S3FileStore } from './adapters/aws/s3-file-store';
import { processors } from './processors';
import type { Processor } from './processors/processor';
import type { ResolveHost } from './notifications/guarded-post';
import { DynamoTenantUsage } from './adapters/aws/dynamo-tenant-usage';
import { DEFAULT_TENANT_LIMITS, type TenantLimits, type TenantUsageStore } from './tenants/tenant-limits';
import { DEFAULT_MAX_UPLOAD_BYTES } from './uploads/upload-limits';
import { secretBox } from './webhooks/secret-box';

/** Everything the handlers need, as ports. Tests wrap these to inject faults. */
export interface Deps {
  jobs: JobStore;
  products: ProductStore;
  keys: KeyStore;
  files: FileStore;
  notifications: NotificationStore;
  dispatcher: Dispatcher;
  processors: Record<'import' | 'enrichment' | 'export', Processor>;
  chunkSize: number;
  now: () => Date;
  events: JobEvents;
  allowLocalCallbacks: boolean;
  callbackBackoffSeconds: number;
  /** How callback host names are resolved; DNS when absent (tests give their own). */
  resolveHost?: ResolveHost;
  /** Per-tenant limits on active jobs and items in flight, and where reservations are kept. */
  tenantLimits?: TenantLimits;
  tenantUsage?: TenantUsageStore;
  /** Largest upload in bytes. */
  maxUploadBytes: number;
}

/** The composition root: real AWS adapters from configuration. */
export function awsDeps(
  config: Config = readConfig(),
  clients: { dynamo?: DynamoDBClient; sqs?: SQSClient; s3?: S3Client } = {},
): Deps {
  const db = documentClient(clients.dynamo);
  return {
    jobs: new DynamoJobStore(db, config.jobsTable),
    products: new DynamoProductStore(db, config.productsTable),
    keys: new DynamoKeyStore(db, config.jobsTable, config.webhookSecretsKey ? secretBox(config.webhookSecretsKey) : undefined),
    files: new S3FileStore(clients.s3 ?? s3Client(), config.filesBucket),
    notifications: new DynamoNotificationStore(db, config.jobsTable),
    dispatcher: new SqsDispatcher(
      clients.sqs ?? sqsClient(),
      config.itemsQueueUrl,
      config.plansQueueUrl,
      config.notificationsQueueUrl,
    ),
    processors,
    chunkSize: config.chunkSize,
    now: () => new Date(),
    events: noEvents,
    allowLocalCallbacks: config.allowLocalCallbacks,
    callbackBackoffSeconds: config.callbackBackoffSeconds,
    tenantLimits: config.tenantLimits ?? DEFAULT_TENANT_LIMITS,
    tenantUsage: new DynamoTenantUsage(db, config.jobsTable),
    maxUploadBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  };
}
