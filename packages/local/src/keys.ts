/**
 * `npm run keys -- <command>`: tenant administration for operators.
 *
 *   create <tenant>                      a new API key (creates the tenant if needed)
 *   webhook-secret <tenant> [--grace S]  create or rotate the webhook signing secret
 *   callback-url <tenant> <url|none>     the tenant's default completion callback
 *
 * The key or secret is printed as the last line. Talks to the running local
 * stack's DynamoDB (DYNAMODB_PORT), or to AWS when it knows the deployed
 * table: under `npx sst shell` (which sets SST_RESOURCE_Jobs) or with JOBS_TABLE set.
 * Webhook secrets are sealed with the local key file (.data/dynamodb/webhook-secrets.key,
 * as `npm start` uses) or, for AWS, the stage's WebhookSecretsKey secret.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '@merchantops/aws/clients';
import { DynamoKeyStore } from '@merchantops/aws/dynamo-key-store';
import { createApiKey, rotateWebhookSecret, setDefaultCallbackUrl } from '@merchantops/core/tenants/tenant-admin';
import { ROTATION_GRACE_SECONDS } from '@merchantops/core/webhooks/tenant-settings';
import { localClientConfig } from './clients';
import { localSettings } from './settings';
import { localSecretsKey } from './secrets-key';
import { secretBox } from '@merchantops/core/webhooks/secret-box';

const USAGE = [
  'usage: npm run keys -- create <tenant>',
  '       npm run keys -- webhook-secret <tenant> [--grace <seconds>]',
  '       npm run keys -- callback-url <tenant> <url|none>',
].join('\n');

async function main(args: string[]) {
  const [command, tenant, ...rest] = args;
  if (!tenant) throw new Error(USAGE);
  const deployedTable = deployedJobsTable(process.env);
  const dynamo = deployedTable
    ? new DynamoDBClient({})
    : new DynamoDBClient(localClientConfig(`http://127.0.0.1:${localSettings().dynamoPort}`));
  const table = deployedTable ?? 'local-Jobs';
  // Secrets are sealed with the deployed stage's key (the linked SST secret) or the local key file.
  const key = deployedTable ? deployedSecretsKey(process.env) : localSecretsKey(localSettings().dataDir).key;
  const keys = new DynamoKeyStore(documentClient(dynamo), table, key ? secretBox(key) : undefined);
  try {
    switch (command) {
      case 'create': {
        const key = await createApiKey(keys, tenant);
        console.log(`created an API key for tenant "${tenant}" (table ${table}); it is shown only once:`);
        console.log(key);
        break;
      }
      case 'webhook-secret': {
        const grace = rest[0] === '--grace' ? Number(rest[1]) : ROTATION_GRACE_SECONDS;
        if (!Number.isInteger(grace) || grace < 0) throw new Error('--grace takes a whole number of seconds');
        const secret = await rotateWebhookSecret(keys, tenant, grace);
        console.log(
          `new webhook signing secret for tenant "${tenant}"; the previous one (if any) still verifies for ${grace} s. Shown only once:`,
        );
        console.log(secret);
        break;
      }
      case 'callback-url': {
        const url = rest[0];
        if (!url) throw new Error(USAGE);
        await setDefaultCallbackUrl(keys, tenant, url === 'none' ? undefined : url, !deployedTable);
        console.log(url === 'none' ? `tenant "${tenant}" has no default callback` : `default callback of "${tenant}":`);
        console.log(url);
        break;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    dynamo.destroy();
  }
}

/** The deployed stage's secrets key: WEBHOOK_SECRETS_KEY, or the SST secret under `npx sst shell`. */
function deployedSecretsKey(env: NodeJS.ProcessEnv): string | undefined {
  if (env.WEBHOOK_SECRETS_KEY) return env.WEBHOOK_SECRETS_KEY;
  if (env.SST_RESOURCE_WebhookSecretsKey) return (JSON.parse(env.SST_RESOURCE_WebhookSecretsKey) as { value: string }).value;
  return undefined;
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
