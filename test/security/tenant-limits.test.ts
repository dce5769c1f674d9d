import { afterAll, describe, expect, it } from 'vitest';
import { apiClient, products, useStack, waitForJob } from '../support/stack';

/** Holds every chunk of items whose SKU starts with HOLD until released, so their jobs stay running. */
function gate() {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  return { opened, release };
}

describe('per-tenant limits: 429 with Retry-After, so one tenant cannot flood the queues', () => {
  const held = gate();
  const stuck = gate();
  const ctx = useStack({
    tenantLimits: { maxActiveJobs: 2, maxItemsInFlight: 50 },
    workerDeps: (deps) => ({
      ...deps,
      processors: {
        ...deps.processors,
        async import(chunk, d) {
          const sku = String((chunk.items[0] as { sku?: string })?.sku);
          if (sku.startsWith('HOLD')) await held.opened;
          if (sku.startsWith('STUCK')) await stuck.opened;
          return deps.processors.import(chunk, d);
        },
      },
    }),
  });
  afterAll(() => {
    held.release();
    stuck.release();
  });

  it('refuses a third active job, and takes it once one has finished; other tenants are not affected', async () => {
    const a = await ctx.api.post('/v1/jobs', { type: 'import', items: products(10, 0, 'HOLD-A') });
    const b = await ctx.api.post('/v1/jobs', { type: 'import', items: products(10, 0, 'HOLD-B') });
    expect([a.status, b.status]).toEqual([202, 202]);

    const c = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1, 0, 'FREE-C') });
    expect(c.status).toBe(429);
    expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(c.json.error.code).toBe('rate_limited');
    expect(c.json.error.message).toMatch(/2 active jobs \(at most 2\)/);
    const listed = (await ctx.api.get('/v1/jobs')).json.jobs.map((j: { id: string }) => j.id).sort();
    expect(listed).toEqual([a.json.id, b.json.id].sort());

    const other = apiClient(ctx.stack.url, await ctx.stack.createApiKey('globex'));
    expect((await other.post('/v1/jobs', { type: 'import', items: products(1, 0, 'GLOBEX') })).status).toBe(202);

    held.release();
    await waitForJob(ctx.api, a.json.id);
    await waitForJob(ctx.api, b.json.id);
    const later = await ctx.api.post('/v1/jobs', { type: 'import', items: products(1, 0, 'FREE-C') });
    expect(later.status).toBe(202);
    await waitForJob(ctx.api, later.json.id);
  });

  it('counts items in flight: a job that would pass the maximum is refused, one larger than it is 413', async () => {
    // While a job of 45 items is unfinished, 45 + 10 > 50.
    const running = await ctx.api.post('/v1/jobs', { type: 'import', items: products(45, 0, 'STUCK') });
    expect(running.status).toBe(202);
    const more = await ctx.api.post('/v1/jobs', { type: 'import', items: products(10, 0, 'MORE') });
    expect(more.status).toBe(429);
    expect(more.json.error.message).toMatch(/has 45 items in flight \(at most 50\), and this job adds 10/);
    expect((await ctx.api.post('/v1/jobs', { type: 'import', items: products(5, 0, 'FITS') })).status).toBe(202);
    stuck.release();
    await waitForJob(ctx.api, running.json.id);
    expect((await ctx.api.post('/v1/jobs', { type: 'import', items: products(10, 0, 'MORE') })).status).toBe(202);
    const huge = await ctx.api.post('/v1/jobs', { type: 'import', items: products(51, 0, 'HUGE') });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toEqual({
      code: 'payload_too_large',
      message: 'a tenant may have at most 50 items in flight, and this job has 51',
    });
  });
});
