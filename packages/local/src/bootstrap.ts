import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { tables, type TableDefinition } from '@merchantops/core/resources/tables';
import { deadLetterQueue, itemsQueue, notificationsQueue, plansQueue } from '@merchantops/core/resources/queues';
import { filesBucket } from '@merchantops/core/resources/buckets';

export interface LocalResources {
  jobsTable: string;
  productsTable: string;
  itemsQueueUrl: string;
  itemsQueueArn: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
  plansQueueUrl: string;
  plansQueueArn: string;
  notificationsQueueUrl: string;
  notificationsQueueArn: string;
  filesBucket: string;
}

/**
 * Creates the tables and queues from the same definitions the SST infra uses.
 * Idempotent: existing resources are kept (so `.data/` survives a restart).
 */
export async function bootstrapResources(
  clients: { dynamo: DynamoDBClient; sqs: SQSClient; s3: S3Client },
  prefix: string,
  visibilityTimeoutSeconds: number,
): Promise<LocalResources> {
  const { dynamo, sqs, s3 } = clients;
  const names = Object.fromEntries(tables.map((t) => [t.name, `${prefix}-${t.name}`]));
  await Promise.all(tables.map((table) => createTable(dynamo, table, names[table.name])));

  const dlq = await createQueue(sqs, `${prefix}-${deadLetterQueue.name}`, {
    MessageRetentionPeriod: String(deadLetterQueue.messageRetentionSeconds),
    VisibilityTimeout: String(visibilityTimeoutSeconds),
  });
  const items = await createQueue(sqs, `${prefix}-${itemsQueue.name}`, {
    MessageRetentionPeriod: String(itemsQueue.messageRetentionSeconds),
    VisibilityTimeout: String(visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: itemsQueue.maxReceiveCount }),
  });
  const plans = await createQueue(sqs, `${prefix}-${plansQueue.name}`, {
    MessageRetentionPeriod: String(plansQueue.messageRetentionSeconds),
    VisibilityTimeout: String(visibilityTimeoutSeconds),
  });
  const notifications = await createQueue(sqs, `${prefix}-${notificationsQueue.name}`, {
    MessageRetentionPeriod: String(notificationsQueue.messageRetentionSeconds),
    VisibilityTimeout: String(visibilityTimeoutSeconds),
  });
  // Bucket names are global and lower case in S3; locally a prefix keeps stacks apart.
  const bucket = `${prefix}-${filesBucket.name}`.toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    jobsTable: names.Jobs,
    productsTable: names.Products,
    itemsQueueUrl: items.url,
    itemsQueueArn: items.arn,
    deadLetterQueueUrl: dlq.url,
    deadLetterQueueArn: dlq.arn,
    plansQueueUrl: plans.url,
    plansQueueArn: plans.arn,
    notificationsQueueUrl: notifications.url,
    notificationsQueueArn: notifications.arn,
    filesBucket: bucket,
  };
}

async function createTable(dynamo: DynamoDBClient, def: TableDefinition, name: string) {
  const keyNames = [def.hashKey, def.rangeKey, ...def.globalIndexes.flatMap((i) => [i.hashKey, i.rangeKey])];
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...new Set(keyNames)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: def.hashKey, KeyType: 'HASH' },
          { AttributeName: def.rangeKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: def.globalIndexes.length
          ? def.globalIndexes.map((index) => ({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.hashKey, KeyType: 'HASH' },
                { AttributeName: index.rangeKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            }))
          : undefined,
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    return;
  }
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
  if (def.ttlAttribute) {
    await dynamo.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
      }),
    );
  }
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}
