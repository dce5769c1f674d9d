/**
 * Fair share across tenants on the local stack (real DynamoDB Local and
 * fauxqs): a tenant's huge backlog does not hold up another tenant's small
 * job, tenants with big jobs progress at comparable rates, and the plain
 * first-come bridge (fairShare: false) is the control that shows what the
 * mechanism changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '@merchantops/local/stack';
import { allFailures, apiClient, products, startTestStack, waitFor, waitForJob, type Api } from '../support/stack';

const BIG = 10_000;
// Long enough that 20,000 items of backlog are never redelivered while held.
const VISIBILITY = 30;

async function tenants(stack: LocalStack, names: string[]): Promise<Record<string, Api>> {
  const keys = await Promise.all(names.map((name) => stack.createApiKey(name)));
  return Object.fromEntries(names.map((name, i) => [name, apiClient(stack.url, keys[i])]));
}

async function startImport(api: Api, count: number, prefix: string, invalidEvery = 0): Promise<string> {
  const created = await api.post('/v1/jobs', { type: 'import', items: products(count, invalidEvery, prefix) });
  expect(created.status, JSON.stringify(created.json)).toBe(202);
  return created.json.id;
}

/** A stack of the describe block's own, with these options. */
function ownStack(options: Parameters<typeof startTestStack>[0]) {
  const ctx = {} as { stack: LocalStack };
  beforeAll(async () => {
    ctx.stack = await startTestStack(options);
  });
  afterAll(() => ctx.stack?.stop());
  return ctx;
}

const job = async (api: Api, id: string) => (await api.get(`/v1/jobs/${id}`)).json;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cancels a job mid-way (its chunks still queued or held by the fair source) and checks that it
 * stays exact: no commit lands after the cancel, so `processed` is what the chunk records say.
 */
async function expectCancelledExactly(stack: LocalStack, api: Api, id: string, total: number) {
  expect((await api.post(`/v1/jobs/${id}/cancel`)).status).toBe(200);
  const view = await job(api, id);
  const committed = await stack.deps.jobs.committedChunks(id);
  expect(view).toMatchObject({ status: 'cancelled', total, processed: committed.size * 25 });
  expect(view.processed).toBeLessThan(total);
  expect(await allFailures(api, id)).toHaveLength(view.failed);
  await sleep(500);
  expect((await job(api, id)).processed).toBe(view.processed);
}

/**
 * Tenant A starts two imports of `big` items; `delayMs` later (a second, by
 * default) tenant B starts a 10-item one. Returns how long B took, and how far
 * A had got by then.
 */
async function smallBehindBig(stack: LocalStack, label: string, { big = BIG, delayMs = 1000 } = {}) {
  const { 'tenant-a': a, 'tenant-b': b } = await tenants(stack, ['tenant-a', 'tenant-b']);
  const bigIds = [await startImport(a, big, 'A1', 20), await startImport(a, big, 'A2', 20)];
  await sleep(delayMs);
  const aBefore = (await Promise.all(bigIds.map((id) => job(a, id)))).reduce((sum, j) => sum + j.processed, 0);
  const started = performance.now();
  const smallId = await startImport(b, 10, 'B', 5);
  let sawWaiting = false;
  const small = await waitFor(
    async () => {
      const view = await job(b, smallId);
      sawWaiting ||= view.waiting === 'fair-share';
      return view.status === 'completed' ? view : undefined;
    },
    `${label}: tenant B's small job`,
    60_000,
  );
  const seconds = (performance.now() - started) / 1000;
  const aAtB = (await Promise.all(bigIds.map((id) => job(a, id)))).reduce((sum, j) => sum + j.processed, 0);
  console.log(
    `[fair-share] ${label}: B's 10-item job took ${seconds.toFixed(2)} s; tenant A had ${2 * big - aBefore} items queued ahead of it` +
      ` and processed ${aAtB - aBefore} of them meanwhile; B shown waiting: ${sawWaiting}`,
  );
  return { a, b, bigIds, small, seconds, aBefore, aAtB, sawWaiting };
}

describe('a small job of one tenant behind another tenant\'s 20,000-item backlog', () => {
  const ctx = ownStack({ visibilityTimeoutSeconds: VISIBILITY });

  it('completes within 5 s while the backlog is still there, and every counter stays exact', async () => {
    const run = await smallBehindBig(ctx.stack, 'fair');
    expect(run.aBefore).toBeLessThan(2 * BIG - 15_000); // at least 15,000 items really were queued ahead of B
    expect(run.seconds).toBeLessThanOrEqual(5);
    expect(run.small).toMatchObject({ status: 'completed', total: 10, processed: 10, failed: 2, waiting: null });
    // B did not simply wait for A: most of A's backlog was still there when B finished.
    expect(run.aAtB).toBeLessThan(2 * BIG - 5_000);

    // Every other emulator suite runs through the fair source and checks exact counts to completion;
    // here A's jobs are cancelled with their backlog still held, and stay exact: nothing commits after.
    for (const id of run.bigIds) await expectCancelledExactly(ctx.stack, run.a, id, BIG);
    // Tenants see only their own jobs and products.
    expect((await run.b.get(`/v1/jobs/${run.bigIds[0]}`)).status).toBe(404);
    expect((await run.b.get('/v1/products/A1-00001')).status).toBe(404);
    expect((await run.a.get('/v1/products/A1-00001')).status).toBe(200);
  });
});

describe('the same without the mechanism (control)', () => {
  const ctx = ownStack({ visibilityTimeoutSeconds: VISIBILITY, fairShare: false });
  // What it shows does not depend on the backlog's size or B's delay, so a smaller backlog keeps the suite quick.
  const big = 2000;

  it('first come, first served: the small job waits behind nearly all of the backlog', async () => {
    const run = await smallBehindBig(ctx.stack, 'first-come (control)', { big, delayMs: 0 });
    expect(run.aBefore).toBeLessThan(big); // more than half of the backlog was still queued ahead of B
    expect(run.aAtB).toBeGreaterThan(2 * big - 1_000);
    expect(run.small).toMatchObject({ status: 'completed', processed: 10, failed: 2 });
    for (const id of run.bigIds) await waitForJob(run.a, id, 120_000);
  });
});

describe('three tenants with big jobs', () => {
  const ctx = ownStack({ visibilityTimeoutSeconds: VISIBILITY });

  it('progress at comparable rates, though they arrived one after the other', async () => {
    const names = ['tenant-x', 'tenant-y', 'tenant-z'];
    const apis = await tenants(ctx.stack, names);
    const ids: string[] = [];
    // One after the other: first come, first served would run x's job alone, then y's, then z's.
    for (const name of names) ids.push(await startImport(apis[name], 6000, name.toUpperCase(), 50));
    const processed = async () => Promise.all(names.map(async (name, i) => (await job(apis[name], ids[i])).processed as number));
    const start = await processed();
    const t0 = performance.now();
    await sleep(2000);
    const end = await processed();
    const seconds = (performance.now() - t0) / 1000;
    const rates = end.map((n, i) => (n - start[i]) / seconds);
    console.log(`[fair-share] three tenants, items/s over ${seconds.toFixed(1)} s: ${names.map((n, i) => `${n} ${rates[i].toFixed(0)}`).join(', ')}`);
    // Every job still had work left during the window, so each rate is its share, not its end.
    for (const n of end) expect(n).toBeLessThan(6000);
    expect(Math.min(...rates)).toBeGreaterThan(0);
    expect(Math.min(...rates) / Math.max(...rates)).toBeGreaterThanOrEqual(0.6);

    for (const [i, name] of names.entries()) await expectCancelledExactly(ctx.stack, apis[name], ids[i], 6000);
  });
});
