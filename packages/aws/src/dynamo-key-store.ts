import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyStore } from '@merchantops/core/ports';
import type { TenantSettings, WebhookSecret } from '@merchantops/core/webhooks/tenant-settings';
import { noSecretBox, type SecretBox } from '@merchantops/core/webhooks/secret-box';
import { isConditionFailed } from './dynamo-errors';

const tenantKey = (tenantId: string) => ({ pk: `TENANT#${tenantId}`, sk: 'TENANT' });

export class DynamoKeyStore implements KeyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Seals webhook signing secrets before they are written and opens them when read. */
    private readonly box: SecretBox = noSecretBox,
  ) {}

  private openSecrets(tenantId: string, stored: WebhookSecret[] | undefined): WebhookSecret[] {
    return (stored ?? []).map((s) => ({ ...s, secret: this.box.open(s.secret, tenantId) }));
  }

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
          Item: { ...tenantKey(tenantId), tenantId, createdAt: new Date().toISOString(), version: 0, webhookSecrets: [] },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async settings(tenantId: string): Promise<TenantSettings | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: tenantKey(tenantId), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      webhookSecrets: this.openSecrets(tenantId, Item.webhookSecrets),
      ...(Item.callbackUrl ? { callbackUrl: Item.callbackUrl } : {}),
    };
  }

  /** Optimistic concurrency on a version number: a lost race reads again and reapplies the change. */
  async updateSettings(tenantId: string, change: (current: TenantSettings) => TenantSettings): Promise<TenantSettings> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: tenantKey(tenantId), ConsistentRead: true }));
      if (!Item) throw new Error(`tenant ${tenantId} does not exist`);
      const current: TenantSettings = { webhookSecrets: this.openSecrets(tenantId, Item.webhookSecrets), callbackUrl: Item.callbackUrl };
      const next = change(current);
      // Every secret is written sealed, including any stored before encryption (the migration).
      const sealed = next.webhookSecrets.map((s) => ({ ...s, secret: this.box.seal(s.secret, tenantId) }));
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...Item, webhookSecrets: sealed, callbackUrl: next.callbackUrl, version: (Item.version ?? 0) + 1 },
            ConditionExpression: 'attribute_not_exists(version) OR version = :version',
            ExpressionAttributeValues: { ':version': Item.version ?? 0 },
          }),
        );
        return next;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    }
    throw new Error(`tenant ${tenantId} settings are changing too often; try again`);
  }

  async claimSignedContent(tenantId: string, digest: string, deliveryId: string, expiresAt: number): Promise<string> {
    const Key = { pk: `WHSIG#${tenantId}#${digest}`, sk: 'WHSIG' };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...Key, deliveryId, expiresAt },
          // An expired record that TTL has not deleted yet counts as absent.
          ConditionExpression: 'attribute_not_exists(pk) OR deliveryId = :delivery OR expiresAt < :now',
          ExpressionAttributeValues: { ':delivery': deliveryId, ':now': Math.floor(Date.now() / 1000) },
        }),
      );
      return deliveryId;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key, ConsistentRead: true }));
    return (Item?.deliveryId as string | undefined) ?? deliveryId;
  }
}
