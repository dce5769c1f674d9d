import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPortFree } from '@merchantops/local/ports';
import { DYNAMO_LOCAL_ONLY, spawnDynamoLocal } from '@merchantops/local/emulators';
import { pidFilePath, recordProcess, writePidFile } from '@merchantops/local/leftovers';
import { apiClient } from '../support/stack';
import { eventually, freePorts, isRunning, readPidFile, signalGroup, startNpmStart } from './npm-start';

const folders: string[] = [];
const dataFolder = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'leftovers-'));
  folders.push(dir);
  return dir;
};
const groups: number[] = [];
afterAll(() => {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A pid that is not running: the recorded `npm start` is gone. */
const goneMain = { pid: 4_194_000, startTime: '0', cmdline: ['node', 'packages/local/src/main.ts'] };

describe('npm start after a kill -9 (leftover processes)', () => {
  it('stops the DynamoDB Local a killed npm start left running on its data folder, then starts', async () => {
    const ports = await freePorts();
    const dataDir = dataFolder();
    // Orphaned as it is where its parent cannot take it along: in a group of its own, no death signal.
    const orphan = spawnDynamoLocal({ port: ports.dynamoPort, path: dataDir, sharedDb: true, detached: true, stdio: 'ignore' }, { deathSignal: false });
    groups.push(orphan.pid!);
    expect(await eventually(async () => !(await isPortFree(ports.dynamoPort)), 60_000)).toBe(true);
    const dynamo = { ...recordProcess(orphan.pid!), port: ports.dynamoPort, dataDir };
    writePidFile(pidFilePath(dataDir, ports.dynamoPort), { main: goneMain, dynamo });

    const main = startNpmStart(ports, { DATA_DIR: dataDir });
    groups.push(main.child.pid!);
    await main.waitFor(/Ctrl-C stops everything/);
    expect(main.output()).toContain(`Stopped DynamoDB Local (pid ${orphan.pid}, port ${ports.dynamoPort}), left running by a previous npm start`);
    expect(isRunning(dynamo)).toBe(false);
    expect((await apiClient(`http://127.0.0.1:${ports.port}`, 'mo_crash-restart-key').get('/v1/jobs')).status).toBe(200);
    // It records itself for the next start, and removes the record when stopped cleanly.
    expect(readPidFile(dataDir, ports.dynamoPort)?.main.pid).not.toBe(goneMain.pid);
    main.terminate();
    expect(await main.exited).toBe(0);
    expect(readPidFile(dataDir, ports.dynamoPort)).toBeUndefined();
  });

  it('kill -9 of npm start leaves its node process serving; the next npm start stops it and takes over the data', async () => {
    const ports = await freePorts();
    const dataDir = dataFolder();
    const first = startNpmStart(ports, { DATA_DIR: dataDir });
    groups.push(first.child.pid!);
    await first.waitFor(/Ctrl-C stops everything/);
    const api = apiClient(`http://127.0.0.1:${ports.port}`, 'mo_crash-restart-key');
    const job = await api.post('/v1/jobs', { type: 'import', items: [{ sku: 'LEFT-1', title: 'Left over', price: 1 }] });
    expect(job.status).toBe(202);
    const recorded = readPidFile(dataDir, ports.dynamoPort)!;
    // Telemetry off: DynamoDB Local would otherwise send usage data to AWS.
    expect(recorded.dynamo.cmdline).toEqual(expect.arrayContaining(DYNAMO_LOCAL_ONLY));

    first.child.kill('SIGKILL'); // npm itself: the node process it started goes on serving
    expect(await first.exited).toBe(null);
    expect(isRunning(recorded.main)).toBe(true); // what a restart used to trip over: "port … is already in use"
    expect(isRunning(recorded.dynamo)).toBe(true);

    const second = startNpmStart(ports, { DATA_DIR: dataDir });
    groups.push(second.child.pid!);
    await second.waitFor(/Ctrl-C stops everything/);
    expect(second.output()).toContain(`Stopped npm start (pid ${recorded.main.pid})`);
    expect(isRunning(recorded.main)).toBe(false);
    expect(isRunning(recorded.dynamo)).toBe(false);
    expect((await api.get(`/v1/jobs/${job.json.id}`)).json.id).toBe(job.json.id);
    second.terminate();
    expect(await second.exited).toBe(0);
  });

  it('never stops a process that is not its own, even when the pid file names it', async () => {
    const ports = await freePorts();
    const dataDir = dataFolder();
    // Another program on the DynamoDB port, named in the pid file as both processes.
    const other = spawn(
      process.execPath,
      ['-e', `require('net').createServer().listen(${ports.dynamoPort}, '127.0.0.1'); setInterval(() => {}, 1000)`],
      { detached: true, stdio: 'ignore' },
    );
    groups.push(other.pid!);
    expect(await eventually(async () => !(await isPortFree(ports.dynamoPort)), 10_000)).toBe(true);
    const record = recordProcess(other.pid!);
    writePidFile(pidFilePath(dataDir, ports.dynamoPort), { main: record, dynamo: { ...record, port: ports.dynamoPort, dataDir } });

    const main = startNpmStart(ports, { DATA_DIR: dataDir });
    groups.push(main.child.pid!);
    const exit = await Promise.race([main.exited, new Promise((r) => setTimeout(() => r('still running'), 60_000))]);
    expect(exit).toBe(1);
    expect(main.output()).toMatch(new RegExp(`port ${ports.dynamoPort} \\(DynamoDB Local\\) is already in use`));
    expect(isRunning(record)).toBe(true);
  });
});
