import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoJobStore } from './adapters/aws/dynamo-job-store';
import { DynamoKeyStore } from './adapters/aws/dynamo-key-store';
import { DynamoProductStore } from './adapters/aws/dynamo-product-store';
import { SqsDispatcher } from './adapters/aws/sqs-dispatcher';
import { documentClient, sqsClient } from './adapters/aws/clients';
import { readConfig, type Config } from './config';
import { noEvents, type JobEvents } from './jobs/events';
import type { Dispatcher, JobStore, KeyStore, ProductStore } from './ports';
import { processors } from './processors';
import type { Processor } from './processors/processor';

/** Everything the handlers need, as ports. Tests wrap these to inject faults. */
export interface Deps {
  jobs: JobStore;
  products: ProductStore;
  keys: KeyStore;
  dispatcher: Dispatcher;
  processors: Record<'import' | 'enrichment' | 'export', Processor>;
  chunkSize: number;
  now: () => Date;
  events: JobEvents;
}

/** The composition root: real AWS adapters from configuration. */
export function awsDeps(
  config: Config = readConfig(),
  clients: { dynamo?: DynamoDBClient; sqs?: SQSClient } = {},
): Deps {
  const db = documentClient(clients.dynamo);
  return {
    jobs: new DynamoJobStore(db, config.jobsTable),
    products: new DynamoProductStore(db, config.productsTable),
    keys: new DynamoKeyStore(db, config.jobsTable),
    dispatcher: new SqsDispatcher(clients.sqs ?? sqsClient(), config.itemsQueueUrl),
    processors,
    chunkSize: config.chunkSize,
    now: () => new Date(),
    events: noEvents,
  };
}
