import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyStore } from '../../ports';
import { isConditionFailed } from './dynamo-errors';

export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async tenantOf(keyHash: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: `APIKEY#${keyHash}`, sk: 'APIKEY' } }),
    );
    return Item?.tenantId as string | undefined;
  }

  async saveKey(keyHash: string, tenantId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: `APIKEY#${keyHash}`, sk: 'APIKEY', tenantId, createdAt: new Date().toISOString() },
      }),
    );
  }

  async ensureTenant(tenantId: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: `TENANT#${tenantId}`, sk: 'TENANT', tenantId, createdAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
