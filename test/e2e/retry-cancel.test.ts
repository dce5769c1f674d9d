import { describe, expect, it } from 'vitest';
import { parseCsv } from '@merchantops/core/csv/parse-csv';
import { overrideJobs } from '../support/faults';
import { allFailures, download, products, uploadFile, useStack, waitFor, waitForJob } from '../support/stack';

const items = () =>
  products(100).map((p, i) => (i % 10 === 3 ? { ...p, price: -5 } : i % 10 === 7 ? { ...p, title: undefined } : p));

describe('failures: review and retry', () => {
  const ctx = useStack();

  it('summarises failures by reason, downloads them as a fixable CSV, and retries only them', async () => {
    const job = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'import', items: items() })).json.id);
    expect(job).toMatchObject({ status: 'completed', processed: 100, failed: 20 });
    expect(job.failureSummary).toEqual([
      { reason: 'price: must be a number ≥ 0', count: 10 },
      { reason: 'title: is required', count: 10 },
    ]);
    const failures = await allFailures(ctx.api, job.id);
    expect(failures[0]).toMatchObject({ index: 3, reason: 'price: must be a number ≥ 0', attempts: 1 });

    // The CSV download, fixed and uploaded again, imports cleanly.
    const file = await download(ctx.api, `/v1/jobs/${job.id}/failures?format=csv`);
    const rows: string[][] = [];
    for await (const record of parseCsv((async function* () { yield file.text; })())) if ('fields' in record) rows.push(record.fields);
    const [header, ...data] = rows;
    expect(header).toEqual(expect.arrayContaining(['sku', 'title', 'price', '_index', '_reason', '_attempts']));
    expect(data).toHaveLength(20);
    const col = (name: string) => header.indexOf(name);
    expect(data[0][col('sku')]).toBe('SKU-00003');
    expect(data[0][col('_reason')]).toBe('price: must be a number ≥ 0');
    const fixed = [header, ...data.map((row) => row.map((cell, i) => (i === col('price') ? '9.99' : i === col('title') && !cell ? 'Fixed' : cell)))];
    const csv = fixed.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\n');
    const reimport = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: await uploadFile(ctx.api, 'fixed.csv', csv) } });
    expect(await waitForJob(ctx.api, reimport.json.id)).toMatchObject({ status: 'completed', total: 20, failed: 0, result: { created: 20 } });

    // Retry of everything that failed: a new job over exactly those items, linked both ways.
    const retry = await ctx.api.post(`/v1/jobs/${job.id}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.json).toMatchObject({ retryOf: job.id, source: { kind: 'retry', jobId: job.id } });
    const retried = await waitForJob(ctx.api, retry.json.id);
    expect(retried).toMatchObject({ status: 'completed', total: 20, processed: 20 });
    expect((await ctx.api.get(`/v1/jobs/${job.id}`)).json.retries).toEqual([retried.id]);
    // the items are the original failed items (still invalid, so they fail again)
    expect((await allFailures(ctx.api, retried.id)).map((f) => f.item)).toEqual(failures.map((f) => f.item));

    // Retry of one reason only.
    const byReason = await ctx.api.post(`/v1/jobs/${job.id}/retry`, { reason: 'title: is required' });
    const onlyTitles = await waitForJob(ctx.api, byReason.json.id);
    expect(onlyTitles).toMatchObject({ total: 10, failed: 10, failureSummary: [{ reason: 'title: is required', count: 10 }] });
    expect((await ctx.api.get(`/v1/jobs/${job.id}`)).json.retries).toEqual([retried.id, onlyTitles.id]);
  });

  it('refuses retries that make no sense', async () => {
    const clean = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'import', items: products(3, 0, 'OK') })).json.id);
    const none = await ctx.api.post(`/v1/jobs/${clean.id}/retry`);
    expect(none.status).toBe(409);
    expect(none.json.error.message).toMatch(/no failed items/);

    const withFailures = await waitForJob(ctx.api, (await ctx.api.post('/v1/jobs', { type: 'import', items: items().slice(0, 10) })).json.id);
    const unknownReason = await ctx.api.post(`/v1/jobs/${withFailures.id}/retry`, { reason: 'nope' });
    expect(unknownReason.status).toBe(400);
    expect(unknownReason.json.error.message).toMatch(/^reason: /);
    const badBody = await ctx.api.post(`/v1/jobs/${withFailures.id}/retry`, { reason: 5 });
    expect(badBody.status).toBe(400);

    // a job that is still running
    const now = new Date().toISOString();
    const running = {
      id: '11111111-2222-4333-8444-555555555555', tenantId: 'acme', type: 'import' as const, status: 'running' as const,
      total: 5, processed: 1, failed: 1, chunkCount: 1, createdAt: now, updatedAt: now, source: { kind: 'items' as const },
    };
    await ctx.stack.deps.jobs.create(running);
    const early = await ctx.api.post(`/v1/jobs/${running.id}/retry`);
    expect(early.status).toBe(409);
    expect(early.json.error.message).toMatch(/still running/);
  });
});

describe('cancel', () => {
  let commits = 0;
  const ctx = useStack({
    chunkSize: 10,
    workerConcurrency: 1,
    workerDeps: (deps) => ({
      ...overrideJobs(deps, {
        async commitChunk(...args) {
          const result = await deps.jobs.commitChunk(...args);
          if (result.status === 'committed') commits++;
          return result;
        },
      }),
      // slow work, so there is something left to cancel
      processors: {
        ...deps.processors,
        import: async (chunk, d) => (await new Promise((r) => setTimeout(r, 400)), deps.processors.import(chunk, d)),
      },
    }),
  });

  it('stops a running job; chunks not started are skipped and the counters stay exact', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(400, 10, 'CAN') });
    await waitFor(async () => ((await ctx.api.get(`/v1/jobs/${created.json.id}`)).json.processed > 0 ? true : undefined), 'some progress');
    const cancelled = await ctx.api.post(`/v1/jobs/${created.json.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', completedAt: expect.any(String) });

    // Let the queue drain: chunks in flight may still commit, the rest are skipped.
    await new Promise((r) => setTimeout(r, 3000));
    const job = (await ctx.api.get(`/v1/jobs/${created.json.id}`)).json;
    expect(job.status).toBe('cancelled');
    expect(job.processed).toBeLessThan(400);
    expect(job.processed).toBe(commits * 10);
    expect(job.failed).toBe(commits); // one invalid item in every chunk of 10
    expect(await allFailures(ctx.api, job.id)).toHaveLength(job.failed);
    expect((await ctx.api.get('/v1/products/CAN-00399')).status).toBe(404);

    const again = await ctx.api.post(`/v1/jobs/${created.json.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('conflict');
  });
});

describe('failure threshold', () => {
  const ctx = useStack({ chunkSize: 10, workerConcurrency: 1 });

  it('fails the job once the failure rate passes maxFailurePercent, skipping the rest', async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1000, 2, 'THR'), maxFailurePercent: 10 });
    expect(created.json.maxFailurePercent).toBe(10);
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^failure rate 50% exceeded maxFailurePercent 10% after \d+ items$/);
    expect(job.processed).toBeGreaterThanOrEqual(100);
    expect(job.processed).toBeLessThan(1000);
    const settled = job.processed;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ctx.api.get(`/v1/jobs/${job.id}`)).json.processed).toBe(settled);
  });

  it('lets a job under the threshold complete', async () => {
    const job = await waitForJob(
      ctx.api,
      (await ctx.api.post('/v1/jobs', { type: 'import', items: products(200, 20, 'LOW'), maxFailurePercent: 10 })).json.id,
    );
    expect(job).toMatchObject({ status: 'completed', failed: 10 });
  });

  it('rejects a threshold outside 0-100', async () => {
    const response = await ctx.api.post('/v1/jobs', { type: 'import', items: [], maxFailurePercent: 101 });
    expect(response.status).toBe(400);
    expect(response.json.error.message).toBe('maxFailurePercent: must be a number from 0 to 100');
  });
});
