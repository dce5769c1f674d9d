/**
 * DynamoDB tables and the files bucket, derived from the shared definitions in
 * packages/core/src/resources/{tables,buckets}.ts (also used by the local
 * bootstrap).
 *
 * Billing is on-demand (SST's Dynamo default). In production the tables get
 * deletion protection and point-in-time recovery through `transform.table`,
 * which SST merges over the arguments of the underlying aws.dynamodb.Table.
 * (S3 has no deletion protection; in production the app's `protect` and
 * `removal: "retain"` keep the bucket.)
 */
import { filesBucket } from '@merchantops/core/resources/buckets';
import { jobsTable, productsTable, type TableDefinition } from '@merchantops/core/resources/tables';

const isProduction = $app.stage === 'production';

/** Every key attribute of the table and its indexes; all keys are strings in this project. */
function keyFields(def: TableDefinition): Record<string, 'string'> {
  const fields: Record<string, 'string'> = { [def.hashKey]: 'string', [def.rangeKey]: 'string' };
  for (const index of def.globalIndexes) {
    fields[index.hashKey] = 'string';
    fields[index.rangeKey] = 'string';
  }
  return fields;
}

function table(def: TableDefinition): sst.aws.Dynamo {
  return new sst.aws.Dynamo(def.name, {
    fields: keyFields(def),
    primaryIndex: { hashKey: def.hashKey, rangeKey: def.rangeKey },
    globalIndexes: Object.fromEntries(
      def.globalIndexes.map((index) => [
        index.name,
        { hashKey: index.hashKey, rangeKey: index.rangeKey, projection: index.projection },
      ]),
    ),
    ...(def.ttlAttribute ? { ttl: def.ttlAttribute } : {}),
    ...(isProduction
      ? {
          transform: {
            table: {
              deletionProtectionEnabled: true,
              pointInTimeRecovery: { enabled: true },
            },
          },
        }
      : {}),
  });
}

export const jobs = table(jobsTable);
export const products = table(productsTable);

/**
 * Uploads, export parts and results, failure downloads. Objects expire by
 * prefix as the shared definition says. SST's defaults stay: private, HTTPS
 * only, and CORS open to any origin, which browser uploads to the presigned
 * PUT URLs need.
 */
export const files = new sst.aws.Bucket(filesBucket.name, {
  lifecycle: Object.entries(filesBucket.expireDays).map(([prefix, days]) => ({
    id: `expire-${prefix.replace(/\W/g, '')}`,
    prefix,
    expiresIn: `${days} days` as const,
  })),
});
