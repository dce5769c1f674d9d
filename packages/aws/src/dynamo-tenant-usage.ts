import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TenantUsageStore, UsageEntry } from '@merchantops/core/tenants/tenant-limits';
import { isConditionFailed } from './dynamo-errors';

const usageKey = (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'USAGE' });

/** A tenant's job reservations: one small item next to the tenant record, versioned. */
export class DynamoTenantUsage implements TenantUsageStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async read(tenantId: string) {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: usageKey(tenantId), ConsistentRead: true }));
    return { entries: (Item?.entries as UsageEntry[] | undefined) ?? [], version: (Item?.version as number | undefined) ?? 0 };
  }

  async write(tenantId: string, entries: UsageEntry[], version: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...usageKey(tenantId), entries, version: version + 1 },
          ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
