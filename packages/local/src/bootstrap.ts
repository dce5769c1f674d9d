import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { tables, type TableDefinition } from '@merchantops/core/resources/tables';
import { deadLetterQueue, itemsQueue } from '@merchantops/core/resources/queues';

export interface LocalResources {
  jobsTable: string;
  productsTable: string;
  itemsQueueUrl: string;
  itemsQueueArn: string;
  deadLetterQueueUrl: string;
  deadLetterQueueArn: string;
}

/**
 * Creates the tables and queues from the same definitions the SST infra uses.
 * Idempotent: existing resources are kept (so `.data/` survives a restart).
 */
export async function bootstrapResources(
  dynamo: DynamoDBClient,
  sqs: SQSClient,
  prefix: string,
  visibilityTimeoutSeconds: number,
): Promise<LocalResources> {
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
  return {
    jobsTable: names.Jobs,
    productsTable: names.Products,
    itemsQueueUrl: items.url,
    itemsQueueArn: items.arn,
    deadLetterQueueUrl: dlq.url,
    deadLetterQueueArn: dlq.arn,
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
