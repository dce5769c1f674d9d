import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { NotificationAttempt, NotificationRecord, NotificationStore } from '@merchantops/core/ports';
import { isConditionFailed } from './dynamo-errors';

const key = (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'NOTIFY' });
const NOTIFICATION_TTL = 90 * 24 * 3600;

/** Completion callbacks, stored beside their job. */
export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async open(record: NotificationRecord): Promise<NotificationRecord> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key(record.jobId), ...record, expiresAt: Math.floor(this.now().getTime() / 1000) + NOTIFICATION_TTL },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      return (await this.get(record.jobId))!;
    }
  }

  async get(jobId: string): Promise<NotificationRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key(jobId), ConsistentRead: true }));
    return Item ? toRecord(Item) : undefined;
  }

  async markQueued(jobId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.table, Key: key(jobId), UpdateExpression: 'SET queued = :yes', ExpressionAttributeValues: { ':yes': true } }),
    );
  }

  async claim(jobId: string, leaseSeconds: number): Promise<NotificationRecord | undefined> {
    const now = this.now().getTime();
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(jobId),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: '#state = :pending AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':now': now, ':until': now + leaseSeconds * 1000 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toRecord(Attributes!);
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  async recordAttempt(jobId: string, attempt: NotificationAttempt, state: NotificationRecord['state']): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: key(jobId),
        UpdateExpression: 'SET attempts = list_append(attempts, :attempt), #state = :state REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':attempt': [attempt], ':state': state },
      }),
    );
  }
}

/** The stored item without its keys, TTL and claim. */
function toRecord(item: Record<string, unknown>): NotificationRecord {
  const { pk, sk, expiresAt, leaseUntil, ...record } = item;
  return record as unknown as NotificationRecord;
}
