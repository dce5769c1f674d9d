import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { tables, type TableDefinition } from '@merchantops/core/resources/tables';
import {
  deadLetterQueue,
  itemsQueue,
  notificationsDeadLetterQueue,
  notificationsQueue,
  plansDeadLetterQueue,
  plansQueue,
  redrives,
  type QueueDefinition,
} from '@merchantops/core/resources/queues';
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
  plansDeadLetterQueueUrl: string;
  plansDeadLetterQueueArn: string;
  notificationsDeadLetterQueueUrl: string;
  notificationsDeadLetterQueueArn: string;
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

  // Dead-letter queues first: a queue's redrive policy names its DLQ's ARN.
  const created = new Map<string, { url: string; arn: string }>();
  const make = async (def: QueueDefinition) => {
    const target = redrives.find((r) => r.from.name === def.name)?.to;
    const queue = await createQueue(sqs, `${prefix}-${def.name}`, {
      MessageRetentionPeriod: String(def.messageRetentionSeconds),
      MaximumMessageSize: String(def.maximumMessageBytes),
      // Locally short, so a failed message comes back quickly.
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      ...(target
        ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: created.get(target.name)!.arn, maxReceiveCount: def.maxReceiveCount }) }
        : {}),
    });
    created.set(def.name, queue);
    return queue;
  };
  const dlq = await make(deadLetterQueue);
  const plansDlq = await make(plansDeadLetterQueue);
  const notificationsDlq = await make(notificationsDeadLetterQueue);
  const items = await make(itemsQueue);
  const plans = await make(plansQueue);
  const notifications = await make(notificationsQueue);
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
    plansDeadLetterQueueUrl: plansDlq.url,
    plansDeadLetterQueueArn: plansDlq.arn,
    notificationsDeadLetterQueueUrl: notificationsDlq.url,
    notificationsDeadLetterQueueArn: notificationsDlq.arn,
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
              Projection: projectionOf(index.projection),
            }))
          : undefined,
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    await addMissingIndexes(dynamo, def, name);
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

/** The DynamoDB projection of a shared index definition. */
function projectionOf(projection: TableDefinition['globalIndexes'][number]['projection']) {
  if (Array.isArray(projection)) return { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: projection };
  return { ProjectionType: projection === 'keys-only' ? ('KEYS_ONLY' as const) : ('ALL' as const) };
}

/** A data folder from an older version lacks newer indexes: add them, as a deploy would. */
async function addMissingIndexes(dynamo: DynamoDBClient, def: TableDefinition, name: string) {
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of def.globalIndexes.filter((i) => !present.has(i.name))) {
    await dynamo.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: index.hashKey, AttributeType: 'S' },
          { AttributeName: index.rangeKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.hashKey, KeyType: 'HASH' },
                { AttributeName: index.rangeKey, KeyType: 'RANGE' },
              ],
              Projection: projectionOf(index.projection),
            },
          },
        ],
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
