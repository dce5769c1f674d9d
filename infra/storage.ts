/**
 * DynamoDB tables, derived from the shared definitions in
 * packages/core/src/resources/tables.ts (also used by the local bootstrap).
 *
 * Billing is on-demand (SST's Dynamo default). In production the tables get
 * deletion protection and point-in-time recovery through `transform.table`,
 * which SST merges over the arguments of the underlying aws.dynamodb.Table.
 */
import { jobsTable, productsTable, type TableDefinition } from '../packages/core/src/resources/tables';

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
      def.globalIndexes.map((index) => [index.name, { hashKey: index.hashKey, rangeKey: index.rangeKey }]),
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
