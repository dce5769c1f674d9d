import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { readConfig, type Config } from '@merchantops/core/config';
import type { Deps } from '@merchantops/core/deps';
import { noEvents } from '@merchantops/core/jobs/events';
import { processors } from '@merchantops/core/processors/index';
import { DEFAULT_TENANT_LIMITS } from '@merchantops/core/tenants/tenant-limits';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@merchantops/core/uploads/upload-limits';
import { secretBox } from '@merchantops/core/webhooks/secret-box';
import { documentClient, s3Client, sqsClient } from './clients';
import { DynamoJobStore } from './dynamo-job-store';
import { DynamoKeyStore } from './dynamo-key-store';
import { DynamoNotificationStore } from './dynamo-notification-store';
import { DynamoProductStore } from './dynamo-product-store';
import { DynamoTenantUsage } from './dynamo-tenant-usage';
import { HttpCallbackSender } from './http-callback-sender';
import { S3FileStore } from './s3-file-store';
import { SqsDispatcher } from './sqs-dispatcher';

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
    callbacks: new HttpCallbackSender({ allowLoopback: config.allowLocalCallbacks }),
    callbackBackoffSeconds: config.callbackBackoffSeconds,
    tenantLimits: config.tenantLimits ?? DEFAULT_TENANT_LIMITS,
    tenantUsage: new DynamoTenantUsage(db, config.jobsTable),
    maxUploadBytes: config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  };
}
