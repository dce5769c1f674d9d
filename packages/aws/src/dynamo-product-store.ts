import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchGetCommandOutput,
  type BatchWriteCommandOutput,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Product, ProductStore } from '@merchantops/core/ports';

const WRITE_BATCH = 25;
const READ_BATCH = 100;
const MAX_ROUNDS = 8;

const backoff = (round: number) => new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));

export class DynamoProductStore implements ProductStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(tenantId: string, sku: string): Promise<Product | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { tenantId, sku } }));
    return Item as Product | undefined;
  }

  async getMany(tenantId: string, skus: string[]): Promise<Map<string, Product>> {
    const found = new Map<string, Product>();
    const unique = [...new Set(skus)];
    for (let i = 0; i < unique.length; i += READ_BATCH) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + READ_BATCH).map((sku) => ({ tenantId, sku }));
      for (let round = 0; keys?.length; round++) {
        if (round >= MAX_ROUNDS) throw new Error('DynamoDB left keys unprocessed after retries');
        if (round > 0) await backoff(round);
        const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of result.Responses?.[this.table] ?? []) found.set(item.sku as string, item as Product);
        keys = result.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  /** BatchWriteItem in groups of 25, retrying what DynamoDB leaves unprocessed. */
  async putMany(products: Product[]): Promise<void> {
    for (let i = 0; i < products.length; i += WRITE_BATCH) {
      let requests: unknown[] | undefined = products.slice(i, i + WRITE_BATCH).map((Item) => ({ PutRequest: { Item } }));
      for (let round = 0; requests?.length; round++) {
        if (round >= MAX_ROUNDS) throw new Error('DynamoDB left writes unprocessed after retries');
        if (round > 0) await backoff(round);
        const result: BatchWriteCommandOutput = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: requests as never } }),
        );
        requests = result.UnprocessedItems?.[this.table];
      }
    }
  }

  async *scan(tenantId: string): AsyncIterable<Product> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'tenantId = :tenant',
          ExpressionAttributeValues: { ':tenant': tenantId },
          ExclusiveStartKey: startKey,
        }),
      );
      yield* (page.Items ?? []) as Product[];
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
