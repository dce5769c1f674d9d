/**
 * `npm run keys -- create <tenant>`: creates the tenant if needed and prints a
 * new API key as the last line. Talks to the running local stack's DynamoDB
 * (DYNAMODB_PORT), or, with JOBS_TABLE set and no local endpoint, to AWS
 * (e.g. under `npx sst shell`).
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
  const deployed = Boolean(process.env.JOBS_TABLE) && !process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const dynamo = deployed
    ? new DynamoDBClient({})
    : new DynamoDBClient(localClientConfig(`http://127.0.0.1:${localSettings().dynamoPort}`));
  const table = process.env.JOBS_TABLE ?? 'local-Jobs';
  const keys = new DynamoKeyStore(documentClient(dynamo), table);
  const key = newApiKey();
  await keys.ensureTenant(tenant);
  await keys.saveKey(hashApiKey(key), tenant);
  dynamo.destroy();
  console.log(`created an API key for tenant "${tenant}" (table ${table}); it is shown only once:`);
  console.log(key);
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
