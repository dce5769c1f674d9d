/**
 * What a killed `npm start` leaves behind. `kill -9` of `npm start` leaves its node process (and with it
 * fauxqs and the API) running; `kill -9` of that node process leaves DynamoDB Local (java) running. Each
 * run records both in a pid file — in the data folder, or in the temp folder by DynamoDB port when in
 * memory — and the next run on the same pid file stops them first. A recorded process is only stopped
 * when it is still the very process recorded (same pid and start time) and its command line is the
 * recorded one (node) or names DynamoDBLocal and the same data folder (or `-inMemory` and the same port).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPortFree } from './ports';

export interface RecordedProcess {
  pid: number;
  /** Start time as the system reports it (clock ticks after boot on Linux); tells a reused pid apart. */
  startTime: string;
  cmdline: string[];
}

export interface PidFile {
  main: RecordedProcess;
  dynamo: RecordedProcess & { port: number; dataDir: string | null };
}

/** In the data folder; in memory, in the temp folder by DynamoDB Local's port. */
export const pidFilePath = (dataDir: string | null, dynamoPort: number) =>
  dataDir ? path.join(dataDir, 'npm-start.pid') : path.join(os.tmpdir(), `merchantops-npm-start-${dynamoPort}.pid`);

/** The start time and command line of a live process; undefined when there is none (or a zombie). */
export function processInfo(pid: number): Omit<RecordedProcess, 'pid'> | undefined {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after "(comm)": state is field 3, starttime field 22.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmdline.at(-1) === '') cmdline.pop();
      return { startTime: fields[19], cmdline };
    } catch {
      return undefined;
    }
  }
  try {
    // Elsewhere (macOS): ps. `lstart` is a fixed 24 characters; arguments with spaces cannot be told
    // apart, so such a command line never matches and its process is never stopped.
    const line = execFileSync('ps', ['-o', 'lstart=,command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    if (!line) return undefined;
    return { startTime: line.slice(0, 24), cmdline: line.slice(24).trim().split(/\s+/) };
  } catch {
    return undefined;
  }
}

/** `cmdline` for a child recorded before it has exec'd its command (its start time is known at once). */
export function recordProcess(pid: number, cmdline?: string[]): RecordedProcess {
  const info = processInfo(pid);
  if (!info) throw new Error(`process ${pid} is not running`);
  return { pid, startTime: info.startTime, cmdline: cmdline ?? info.cmdline };
}

export function writePidFile(file: string, contents: PidFile) {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(contents, null, 2));
  renameSync(temp, file);
}

/** Removes the pid file if it is this process's own. */
export function removePidFile(file: string) {
  try {
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
    if (recorded.main?.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // gone already, or not readable: nothing of ours to remove
  }
}

/** The recorded process, still running (a pid is reused with another start time); its command line now. */
const stillRunning = (recorded: RecordedProcess) => {
  const now = processInfo(recorded.pid);
  return now?.startTime === recorded.startTime ? now.cmdline : undefined;
};

const sameArgs = (a: string[], b: string[]) => a.length === b.length && a.every((arg, i) => arg === b[i]);

const hasArgs = (cmdline: string[], ...args: string[]) =>
  cmdline.some((_, i) => args.every((arg, j) => cmdline[i + j] === arg));

/** True for a node process running this package's main.ts (`npm start`). */
const isOurMain = (cmdline: string[]) => cmdline.some((arg) => arg.endsWith(path.join('local', 'src', 'main.ts')));

/** True for a DynamoDB Local serving `dataDir` (or, in memory, `port`). */
export function isOurDynamo(cmdline: string[], dataDir: string | null, port: number): boolean {
  if (!cmdline.some((arg) => arg.includes('DynamoDBLocal'))) return false;
  return dataDir ? hasArgs(cmdline, '-dbPath', dataDir) : hasArgs(cmdline, '-inMemory') && hasArgs(cmdline, '-port', String(port));
}

/**
 * Stops what the run recorded in `file` left running: its node process (SIGTERM lets it stop its own
 * emulators), then its DynamoDB Local, and waits until that port is free if it stopped one. Returns a line per process
 * stopped. Processes that are not the recorded ones are left alone.
 */
export async function stopLeftovers(file: string): Promise<string[]> {
  let recorded: PidFile;
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
  } catch {
    return [];
  }
  const stopped: string[] = [];
  const { main, dynamo } = recorded;
  const mainNow = main && main.pid !== process.pid ? stillRunning(main) : undefined;
  if (mainNow && sameArgs(mainNow, main.cmdline) && isOurMain(mainNow)) {
    await stopProcess(main, 15_000);
    stopped.push(`npm start (pid ${main.pid})`);
  }
  const dynamoNow = dynamo ? stillRunning(dynamo) : undefined;
  if (dynamoNow && isOurDynamo(dynamoNow, dynamo.dataDir, dynamo.port)) {
    await stopProcess(dynamo, 10_000);
    stopped.push(`DynamoDB Local (pid ${dynamo.pid}, port ${dynamo.port})`);
  }
  // Only what was stopped frees the port; a stranger holding it is reported by the port check at once.
  if (stopped.length > 0 && dynamo?.port) await waitUntil(() => isPortFree(dynamo.port), 10_000);
  rmSync(file, { force: true });
  return stopped;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function stopProcess(recorded: RecordedProcess, graceMs: number) {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(recorded.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const gone = async () => stillRunning(recorded) === undefined;
  if (await waitUntil(gone, graceMs)) return;
  signal('SIGKILL');
  if (!(await waitUntil(gone, 5_000))) {
    throw new Error(`could not stop process ${recorded.pid} (${recorded.cmdline.join(' ')}) left running by a previous npm start`);
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
