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
  /** Every key attribute is a string in this project. */
  globalIndexes: { name: string; hashKey: string; rangeKey: string }[];
  ttlAttribute?: string;
}

/** Single table for the jobs domain: jobs, chunk markers, failures, API keys, idempotency keys. */
export const jobsTable: TableDefinition = {
  name: 'Jobs',
  hashKey: 'pk',
  rangeKey: 'sk',
  globalIndexes: [{ name: 'gsi1', hashKey: 'gsi1pk', rangeKey: 'gsi1sk' }],
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
