import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@merchantops/local/ports';
import { pidFilePath, processInfo, type PidFile } from '@merchantops/local/leftovers';

const root = path.resolve(__dirname, '../..');

export interface Ports {
  port: number;
  dynamoPort: number;
  sqsPort: number;
}

export const freePorts = async (): Promise<Ports> => ({ port: await freePort(), dynamoPort: await freePort(), sqsPort: await freePort() });

/**
 * `npm start` itself (npm, which runs main.ts in a node process of its own through a shell), in a process
 * group of its own so that a test can `kill -9` the whole of it, or any one process in it.
 */
export function startNpmStart(ports: Ports, env: Record<string, string>) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    env: {
      ...process.env,
      PORT: String(ports.port),
      DYNAMODB_PORT: String(ports.dynamoPort),
      SQS_PORT: String(ports.sqsPort),
      DEMO_API_KEY: 'mo_crash-restart-key',
      LOG_LEVEL: 'error',
      // npm would otherwise ask the registry for a newer npm once a week: tests stay on loopback.
      npm_config_update_notifier: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in output:\n${output}`);
      await sleep(100);
    }
  };
  return {
    child,
    exited,
    waitFor,
    output: () => output,
    /**
     * SIGTERM to the node process that runs main.ts (as recorded in its pid file), as `kill` of the server
     * would; npm itself does not pass SIGTERM on. npm then exits with that process's status.
     */
    terminate: () => process.kill(readPidFile(env.DATA_DIR ?? null, ports.dynamoPort)!.main.pid, 'SIGTERM'),
    /** SIGKILL to every process still in its group (the emulators' java too, unless it left the group). */
    killGroup: () => signalGroup(child.pid!, 'SIGKILL'),
  };
}

export function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone already
  }
}

/** What the running `npm start` recorded about itself. */
export function readPidFile(dataDir: string | null, dynamoPort: number): PidFile | undefined {
  const file = pidFilePath(dataDir, dynamoPort);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PidFile) : undefined;
}

export const isRunning = (recorded: { pid: number; startTime: string }) => processInfo(recorded.pid)?.startTime === recorded.startTime;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` is true; false once `timeoutMs` has passed. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}
