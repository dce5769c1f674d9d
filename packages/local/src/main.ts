/**
 * `npm start`: the whole stack on this machine — DynamoDB Local, the SQS/S3
 * emulator, tables and queues, the API, and the worker and dead-letter
 * handlers behind a local event-source bridge.
 */
import path from 'node:path';
import { hashApiKey } from '@merchantops/core/tenants/api-key';
import { startEmulators } from './emulators';
import { localSettings } from './settings';
import { localSecretsKey } from './secrets-key';
import { parseTenantLimits } from '@merchantops/core/tenants/tenant-limits';
import { parseMaxUploadBytes } from '@merchantops/core/uploads/upload-limits';
import { startStack } from './stack';

async function main() {
  const settings = localSettings();
  const emulators = await startEmulators({
    dynamoPort: settings.dynamoPort,
    sqsPort: settings.sqsPort,
    dataDir: settings.inMemory ? undefined : settings.dataDir,
    pidFile: true,
    log: (line) => console.log(line),
  });
  let stack;
  try {
    stack = await startStack({
      dynamoEndpoint: emulators.dynamoEndpoint,
      sqsEndpoint: emulators.sqsEndpoint,
      port: settings.port,
      // fauxqs keeps files in memory: with a data folder, they are kept on disk too.
      filesDir: settings.inMemory ? undefined : path.join(settings.dataDir, 'files'),
      chunkSize: settings.chunkSize,
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      workerConcurrency: settings.workerConcurrency,
      callbackBackoffSeconds: settings.callbackBackoffSeconds,
      telemetry: true,
      webhookSecretsKey: localSecretsKey(settings.dataDir).key,
      tenantLimits: parseTenantLimits(process.env),
      maxUploadBytes: parseMaxUploadBytes(process.env.MAX_UPLOAD_BYTES),
      sweeper: {
        intervalSeconds: settings.sweepIntervalSeconds,
        stallAfterSeconds: settings.stallAfterSeconds,
        maxRedrives: settings.maxRedrives,
      },
      // The emulator lost every queued message with the last run: send again what never committed.
      recoverOnStart: !settings.inMemory,
      onError: (error) => console.error('[bridge]', error),
    });
  } catch (error) {
    await emulators.stop();
    throw error;
  }
  const demoKey = await stack.createApiKey('demo', settings.demoApiKey);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await stack.stop();
    await emulators.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  console.log(
    [
      '',
      'MerchantOps Jobs is running locally',
      `  Jobs page      ${stack.url}/`,
      `  API            ${stack.url}/v1`,
      `  API docs       ${stack.url}/docs`,
      `  DynamoDB Local ${emulators.dynamoEndpoint}${settings.inMemory ? ' (in memory)' : ` (data in ${settings.dataDir})`}`,
      `  SQS/S3         ${emulators.sqsEndpoint}`,
      `  tenant         demo`,
      `  demo API key   ${demoKey}${settings.demoApiKey ? ' (from DEMO_API_KEY)' : ` (sha256 ${hashApiKey(demoKey).slice(0, 12)}…)`}`,
      '',
      `  curl -H "Authorization: Bearer ${demoKey}" ${stack.url}/v1/jobs`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(`\nCould not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
