/**
 * `npm run keys -- create <tenant>`: creates the tenant if needed and prints a
 * new API key as the last line. Talks to the running local stack's DynamoDB
 * (DYNAMODB_PORT), or to AWS when it knows the deployed table: under
 * `npx sst shell` (which sets SST_RESOURCE_Jobs) or with JOBS_TABLE set.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@merchantops/core/adapters/aws/clients';
import { DynamoKeyStore } from '@merchantops/core/adapters/aws/dynamo-key-store';
import { hashApiKey, newApiKey, TENANT_PATTERN } from '@merchantops/core/tenants/api-key';
import { localClientConfig } from './clients';
import { localSettings } from './settings';

const USAGE = 'usage: npm run keys -- create <tenant>';

async function main(args: string[]) {
  const [command, tenant] = args;
  if (command !== 'create' || !tenant) throw new Error(USAGE);
  if (!TENANT_PATTERN.test(tenant)) {
    throw new Error('tenant must be 1-63 lowercase letters, digits or "-", starting with a letter or digit');
  }
  const deployedTable = deployedJobsTable(process.env);
  const dynamo = deployedTable
    ? new DynamoDBClient({})
    : new DynamoDBClient(localClientConfig(`http://127.0.0.1:${localSettings().dynamoPort}`));
  const table = deployedTable ?? 'local-Jobs';
  const keys = new DynamoKeyStore(documentClient(dynamo), table);
  const key = newApiKey();
  await keys.ensureTenant(tenant);
  await keys.saveKey(hashApiKey(key), tenant);
  dynamo.destroy();
  console.log(`created an API key for tenant "${tenant}" (table ${table}); it is shown only once:`);
  console.log(key);
}

/** The deployed jobs table: SST's linked resource, or JOBS_TABLE. */
function deployedJobsTable(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SST_RESOURCE_Jobs) return (JSON.parse(env.SST_RESOURCE_Jobs) as { name: string }).name;
  return env.JOBS_TABLE || undefined;
}

main(process.argv.slice(2)).catch((error) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(
    /ECONNREFUSED|fetch failed/.test(message) || (error as Error)?.name === 'TimeoutError'
      ? `cannot reach DynamoDB: is the local stack running (npm start)? (${message})`
      : message,
  );
  process.exit(1);
});
