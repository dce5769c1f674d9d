import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, waitFor, waitForJob, type Api } from '../support/stack';
import { eventually, freePorts, isRunning, readPidFile, signalGroup, startNpmStart } from './npm-start';

const dataDir = mkdtempSync(path.join(tmpdir(), 'crash-restart-'));
const groups: number[] = [];
afterAll(() => {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

// Small chunks, one worker: the jobs are still mid-way when the process is killed.
const env = { DATA_DIR: dataDir, CHUNK_SIZE: '10', WORKER_CONCURRENCY: '1', VISIBILITY_TIMEOUT: '5' };
const product = (sku: string, i: number) => ({ sku, title: `Product ${i}`, price: i % 100 === 0 ? -1 : 1 + (i % 50) });

async function uploadCsv(api: Api, rows: number) {
  const upload = await api.post('/v1/uploads', { filename: 'crash.csv' });
  expect(upload.status).toBe(201);
  const lines = ['sku,title,price', ...Array.from({ length: rows }, (_, i) => `UP-${String(i).padStart(5, '0')},Uploaded ${i},${1 + (i % 9)}`)];
  const put = await fetch(upload.json.url, { method: 'PUT', headers: upload.json.headers, body: `${lines.join('\n')}\n` });
  expect(put.status).toBe(200);
  return upload.json.uploadId as string;
}

describe('kill -9 of npm start mid-way, then npm start again on the same data folder', () => {
  it('restarts without "port in use" and finishes every job with exact counters', async () => {
    const ports = await freePorts();
    const first = startNpmStart(ports, env);
    groups.push(first.child.pid!);
    await first.waitFor(/Ctrl-C stops everything/);
    const api = apiClient(`http://127.0.0.1:${ports.port}`, 'mo_crash-restart-key');

    // Products for the export to read.
    const seed = await api.post('/v1/jobs', { type: 'import', items: Array.from({ length: 100 }, (_, i) => product(`SEED-${i}`, i + 1)) });
    expect((await waitForJob(api, seed.json.id, 120_000)).status).toBe('completed');

    const inline = await api.post('/v1/jobs', {
      type: 'import',
      items: Array.from({ length: 500 }, (_, i) => product(`CR-${String(i).padStart(5, '0')}`, i)),
    });
    expect(inline.status).toBe(202);
    const uploaded = await api.post('/v1/jobs', { type: 'import', source: { uploadId: await uploadCsv(api, 200) } });
    expect(uploaded.status).toBe(202);
    const exported = await api.post('/v1/jobs', { type: 'export', select: { all: true }, format: 'jsonl' });
    expect(exported.status).toBe(202);

    // Mid-way: the inline import has started but is far from done.
    const midway = await waitFor(
      async () => {
        const { json } = await api.get(`/v1/jobs/${inline.json.id}`);
        return json.processed >= 100 ? json : undefined;
      },
      'the inline import to be mid-way',
      120_000,
    );
    expect(midway.processed).toBeLessThan(500);

    // kill -9 of the node process first (its DynamoDB Local is not in the signal), then of everything.
    const recorded = readPidFile(dataDir, ports.dynamoPort)!;
    process.kill(recorded.main.pid, 'SIGKILL');
    expect(await eventually(() => !isRunning(recorded.dynamo), 10_000)).toBe(true); // not orphaned
    first.killGroup();
    await first.exited;

    // The restart may work faster: a re-drive cuts the chunks each job recorded (K = 10), whatever CHUNK_SIZE says now.
    const second = startNpmStart(ports, { ...env, WORKER_CONCURRENCY: '2', CHUNK_SIZE: '100' });
    groups.push(second.child.pid!);
    await second.waitFor(/Ctrl-C stops everything/);
    expect(second.output()).not.toMatch(/already in use|Could not start/);

    const jobs = await Promise.all([inline, uploaded, exported].map((created) => waitForJob(api, created.json.id, 240_000)));
    for (const job of jobs) {
      expect(job.status, JSON.stringify(job)).toBe('completed');
      expect(job.processed).toBe(job.total);
      expect(job.succeeded + job.failed).toBe(job.total);
    }
    const [inlineJob, uploadJob, exportJob] = jobs;
    expect(inlineJob.total).toBe(500);
    expect(inlineJob.failed).toBe(5); // every 100th has a negative price
    expect(uploadJob.total).toBe(200);
    expect(uploadJob.failed).toBe(0);
    for (const job of [inlineJob, uploadJob]) {
      const { created = 0, updated = 0, unchanged = 0 } = job.result;
      expect(created + updated + unchanged + job.failed).toBe(job.total);
    }
    expect(await api.get('/v1/products/CR-00499')).toMatchObject({ status: 200 });
    expect(await api.get('/v1/products/UP-00199')).toMatchObject({ status: 200 });

    // The export file holds exactly one line per exported product.
    const link = await fetch(`${api.baseUrl}/v1/jobs/${exportJob.id}/result`, { headers: api.headers, redirect: 'manual' });
    expect(link.status).toBe(302);
    const file = await (await fetch(link.headers.get('location')!)).text();
    const lines = file.split('\n').filter(Boolean);
    expect(lines.length).toBe(exportJob.succeeded);
    expect(new Set(lines.map((line) => JSON.parse(line).sku)).size).toBe(lines.length);

    second.terminate();
    expect(await second.exited).toBe(0);
  }, 600_000);
});
