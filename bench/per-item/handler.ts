/**
 * The per-item baseline's consumer, written the way the Powertools docs
 * recommend: one SQS message per item, `BatchProcessor` + `processPartialResponse`
 * for partial batch failures, and `makeIdempotent` with the DynamoDB persistence
 * layer around the record handler. Per item: validate (the project's own
 * validator), one product `PutItem`, one counter `UpdateItem ADD` on the job item.
 */
import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { validateProduct } from '@merchantops/core/products/validate-product';
import { DEFAULT_CURRENCY } from '@merchantops/core/products/product-schema';

/** One message = one item. */
export interface ItemMessage {
  tenantId: string;
  jobId: string;
  index: number;
  item: unknown;
}

export interface PerItemTables {
  jobsTable: string;
  productsTable: string;
  idempotencyTable: string;
}

export const jobKey = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' });

export function createPerItemHandler(dynamo: DynamoDBClient, tables: PerItemTables) {
  const db = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const processor = new BatchProcessor(EventType.SQS);
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: tables.idempotencyTable, awsSdkV3Client: dynamo });
  // The body names job, index and item: a redelivery, or the same item sent again, is recognised.
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'body', expiresAfterSeconds: 24 * 3600 });

  const processItem = async (record: SQSRecord) => {
    const message = JSON.parse(record.body) as ItemMessage;
    const result = validateProduct(message.item);
    if (result.ok) {
      const now = new Date().toISOString();
      await db.send(
        new PutCommand({
          TableName: tables.productsTable,
          Item: { currency: DEFAULT_CURRENCY, ...result.value, tenantId: message.tenantId, updatedAt: now },
        }),
      );
    }
    const { Attributes } = await db.send(
      new UpdateCommand({
        TableName: tables.jobsTable,
        Key: jobKey(message.jobId),
        UpdateExpression: 'ADD #processed :one, #failed :failed',
        ExpressionAttributeNames: { '#processed': 'processed', '#failed': 'failed' },
        ExpressionAttributeValues: { ':one': 1, ':failed': result.ok ? 0 : 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    // The writer whose ADD reached the total completes the job, once.
    if (Attributes && Attributes.processed >= Attributes.total) await complete(db, tables.jobsTable, message.jobId);
    // Stored in the idempotency record: a failed item's reason is kept there.
    return result.ok ? { ok: true } : { ok: false, reason: result.reason };
  };

  const processOnce = makeIdempotent(processItem, { persistenceStore, config });

  return async (event: SQSEvent) => {
    const context = lambdaContext();
    config.registerLambdaContext(context);
    return processPartialResponse(event, processOnce, processor, { context });
  };
}

async function complete(db: DynamoDBDocumentClient, table: string, jobId: string) {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: jobKey(jobId),
        UpdateExpression: 'SET #status = :completed, completedAt = :now',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':running': 'running', ':now': new Date().toISOString() },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** What Lambda passes as the context; the idempotency layer reads the remaining time from it. */
function lambdaContext(timeoutMs = 60_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'per-item-worker',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:per-item-worker',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/per-item-worker',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
