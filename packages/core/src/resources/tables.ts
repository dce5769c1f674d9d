/**
 * DynamoDB table definitions: the one source of truth for both the SST infra
 * (infra/storage.ts) and the local bootstrap (packages/local), so the two
 * cannot drift.
 */
export interface TableDefinition {
  /** Logical name: the SST component name and the suffix of local table names. */
  name: string;
  hashKey: string;
  rangeKey: string;
  /**
   * Every key attribute is a string in this project. `keys-only` indexes copy
   * no other attribute; a list copies those attributes too (INCLUDE).
   */
  globalIndexes: { name: string; hashKey: string; rangeKey: string; projection: 'all' | 'keys-only' | string[] }[];
  ttlAttribute?: string;
}

/** Single table for the jobs domain: jobs, chunk markers, failures, API keys, idempotency keys. */
export const jobsTable: TableDefinition = {
  name: 'Jobs',
  hashKey: 'pk',
  rangeKey: 'sk',
  globalIndexes: [
    // A tenant's jobs, newest first, filtered by type and status. Only those
    // two are copied, so the commits that change counters never write it.
    { name: 'gsi1', hashKey: 'gsi1pk', rangeKey: 'gsi1sk', projection: ['type', 'status'] },
    // Queued and running jobs only (sparse: a finished job drops its keys), for
    // the sweeper. Keys only, so commits that change counters never write it.
    { name: 'gsi2', hashKey: 'gsi2pk', rangeKey: 'gsi2sk', projection: 'keys-only' },
  ],
  ttlAttribute: 'expiresAt',
};

/** Products, keyed by tenant and SKU. */
export const productsTable: TableDefinition = {
  name: 'Products',
  hashKey: 'tenantId',
  rangeKey: 'sku',
  globalIndexes: [],
};

export const tables = [jobsTable, productsTable];
