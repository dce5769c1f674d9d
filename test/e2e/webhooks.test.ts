import { HttpCallbackSender } from '@merchantops/aws/http-callback-sender';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '@merchantops/core/webhooks/signature';
import { products, useStack, waitFor, waitForJob } from '../support/stack';
import { startReceiver } from '../support/receiver';

const now = () => Math.floor(Date.now() / 1000);

describe('webhook-triggered imports', () => {
  const ctx = useStack();
  let secret: string;
  beforeAll(async () => {
    secret = await ctx.stack.rotateWebhookSecret('acme');
  });

  /** Posts a webhook; `sign` decides what gets signed (defaults to the body sent). */
  const send = (
    body: string,
    opts: { secrets?: string[]; t?: number; signed?: string; delivery?: string; tenant?: string; path?: string; signature?: string } = {},
  ) => {
    const delivery = opts.delivery ?? randomUUID();
    return fetch(`${ctx.stack.url}${opts.path ?? '/v1/webhooks/imports'}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.tenant !== '' ? { 'merchantops-tenant': opts.tenant ?? 'acme' } : {}),
        'merchantops-delivery': delivery,
        // The current form: v2 covers the delivery id (the header carries v1 too).
        'merchantops-signature':
          opts.signature ?? signatureHeader(opts.secrets ?? [secret], opts.t ?? now(), opts.signed ?? body, delivery),
      },
      body,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
  };

  const jobCount = async () => (await ctx.api.get('/v1/jobs?limit=100')).json.jobs.length;

  it('creates an import job from a signed request', async () => {
    const body = JSON.stringify({ products: products(30, 10, 'WH') });
    const response = await send(body);
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ type: 'import', total: 30 });
    expect(await waitForJob(ctx.api, response.json.id)).toMatchObject({ status: 'completed', processed: 30, failed: 3 });
  });

  it('takes the tenant from the path too', async () => {
    const body = JSON.stringify({ products: products(2, 0, 'WHP') });
    const response = await send(body, { tenant: '', path: '/v1/webhooks/imports/acme' });
    expect(response.status).toBe(202);
  });

  it('answers 401 the same way for missing, malformed, forged, tampered and stale signatures, creating nothing', async () => {
    const body = JSON.stringify({ products: products(1, 0, 'BAD') });
    const before = await jobCount();
    const answers = [
      await send(body, { signature: '' }),
      await send(body, { signature: 't=abc,v1=zz' }),
      await send(body, { secrets: ['whsec_forged'] }),
      await send(body, { signed: JSON.stringify({ products: products(2, 0, 'BAD') }) }),
      await send(body, { t: now() - 301 }),
      await send(body, { t: now() + 400 }),
      await send(body, { tenant: 'globex' }),
      await send(body, { tenant: 'NOT A TENANT' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ error: { code: 'unauthorized', message: 'missing or invalid webhook signature' } });
    }
    expect(await jobCount()).toBe(before);
  });

  it('returns the first job for a repeated delivery, and refuses a replay outside the tolerance', async () => {
    const body = JSON.stringify({ products: products(3, 0, 'DUPW') });
    const delivery = randomUUID();
    const t = now();
    const first = await send(body, { delivery, t });
    const again = await send(body, { delivery, t });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    expect((await ctx.api.get('/v1/jobs?limit=100')).json.jobs.filter((j: any) => j.id === first.json.id)).toHaveLength(1);
    const stale = await send(body, { delivery: randomUUID(), t: t - 600 });
    expect(stale.status).toBe(401);
    const reused = await send(JSON.stringify({ products: products(4, 0, 'DUPW') }), { delivery });
    expect(reused.status).toBe(409);
    expect(reused.json.error.message).toBe('MerchantOps-Delivery: this delivery id was already used with a different body');
  });

  it('answers 400 and 413 for bad bodies, as the jobs API does', async () => {
    const bad = await send(JSON.stringify({ items: [] }));
    expect(bad.status).toBe(400);
    const notJson = await send('{"products": [');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.message).toBe('body: is not valid JSON');
    const tooMany = await send(JSON.stringify({ products: products(10_001) }));
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error.message).toMatch(/^products: at most 10000/);
    const noDelivery = await fetch(`${ctx.stack.url}/v1/webhooks/imports`, {
      method: 'POST',
      headers: { 'merchantops-tenant': 'acme', 'merchantops-signature': signatureHeader([secret], now(), '{}') },
      body: '{}',
    });
    expect(noDelivery.status).toBe(400);
  });

  it('verifies old and new secrets during a rotation, then only the new one', async () => {
    const old = secret;
    const fresh = await ctx.stack.rotateWebhookSecret('acme', 2);
    const body = JSON.stringify({ products: products(1, 0, 'ROT') });
    expect((await send(body, { secrets: [old] })).status).toBe(202);
    expect((await send(body, { secrets: [fresh] })).status).toBe(202);
    expect((await send(body, { secrets: ['whsec_other', fresh] })).status).toBe(202); // several v1=
    await new Promise((r) => setTimeout(r, 2500));
    expect((await send(body, { secrets: [old] })).status).toBe(401);
    expect((await send(body, { secrets: [fresh] })).status).toBe(202);
    secret = fresh;
  });
});

/** Holds the chunks of a job until `count` of them have arrived, then lets them all go at once. */
function barrier(count: number) {
  const waiting = new Map<string, { arrived: number; release: () => void; done: Promise<void> }>();
  let releasedTogether = 0;
  return {
    async wait(key: string) {
      let entry = waiting.get(key);
      if (!entry) {
        let release!: () => void;
        const done = new Promise<void>((r) => (release = r));
        entry = { arrived: 0, release, done };
        waiting.set(key, entry);
      }
      if (++entry.arrived === count) {
        releasedTogether++;
        entry.release();
      }
      await Promise.race([entry.done, new Promise((r) => setTimeout(r, 10_000))]);
    },
    get releasedTogether() {
      return releasedTogether;
    },
  };
}

describe('completion callbacks', () => {
  const together = barrier(2);
  const ctx = useStack({
    callbackBackoffSeconds: 1,
    chunkSize: 1,
    workerConcurrency: 2,
    workerDeps: (deps) => ({
      ...deps,
      processors: {
        ...deps.processors,
        // The two chunks of a RACE job run side by side, so both commits and completion checks race.
        async import(chunk, d) {
          if (String((chunk.items[0] as { sku?: string })?.sku).startsWith('RACE')) await together.wait(chunk.jobId);
          return deps.processors.import(chunk, d);
        },
      },
    }),
  });
  let secret: string;
  beforeAll(async () => {
    secret = await ctx.stack.rotateWebhookSecret('acme');
  });

  it('retries a failing receiver with backoff and delivers exactly once, visibly', async () => {
    const receiver = await startReceiver([500, 503]);
    try {
      const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(3, 0, 'CB'), callbackUrl: receiver.url });
      expect(created.json.callbackUrl).toBe(receiver.url);
      await waitFor(async () => (receiver.accepted().length ? true : undefined), 'an accepted callback', 30_000);
      await new Promise((r) => setTimeout(r, 1500)); // nothing more should come
      expect(receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);
      expect(receiver.accepted()).toHaveLength(1);

      const [delivered] = receiver.accepted();
      const payload = JSON.parse(delivered.body);
      expect(payload).toMatchObject({ event: 'job.completed', job: { id: created.json.id, status: 'completed', processed: 3 } });
      expect(new Set(receiver.received.map((r) => r.headers['merchantops-delivery'])).size).toBe(1);
      expect(delivered.headers['merchantops-delivery']).toBe(payload.deliveryId);
      expect(verifySignature([secret], delivered.headers['merchantops-signature'] as string, Buffer.from(delivered.body), now())).toBe(true);

      const { notifications } = (await ctx.api.get(`/v1/jobs/${created.json.id}/notifications`)).json;
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({ state: 'delivered', event: 'job.completed', url: receiver.url, deliveryId: payload.deliveryId });
      expect(notifications[0].attempts.map((a: any) => [a.status, a.error ?? null])).toEqual([
        [500, 'HTTP 500'],
        [503, 'HTTP 503'],
        [200, null],
      ]);
      const gaps = notifications[0].attempts.map((a: any) => Date.parse(a.at)).map((t: number, i: number, all: number[]) => (i ? t - all[i - 1] : 0));
      // Exponential backoff: at least 1 s before the second attempt, at least 2 s before the third
      // (lower bounds only: a loaded machine may add to them, never take away).
      expect(gaps[1]).toBeGreaterThanOrEqual(900);
      expect(gaps[2]).toBeGreaterThanOrEqual(1900);
    } finally {
      await receiver.close();
    }
  });

  it('sends exactly one callback when two workers finish the last two chunks at once', async () => {
    const receiver = await startReceiver();
    try {
      for (let round = 0; round < 3; round++) {
        const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(2, 0, `RACE${round}`), callbackUrl: receiver.url });
        await waitForJob(ctx.api, created.json.id);
        await waitFor(async () => (receiver.accepted().length === round + 1 ? true : undefined), 'the callback');
      }
      await new Promise((r) => setTimeout(r, 1500));
      expect(together.releasedTogether).toBe(3); // both last chunks were in flight together, each time
      expect(receiver.received).toHaveLength(3);
      expect(new Set(receiver.received.map((r) => JSON.parse(r.body).job.id)).size).toBe(3);
    } finally {
      await receiver.close();
    }
  });

  it('does not follow redirects, and reports cancelled jobs', async () => {
    const receiver = await startReceiver([302]);
    try {
      const created = await ctx.api.post('/v1/jobs', { type: 'export', select: { all: true }, callbackUrl: receiver.url });
      await ctx.api.post(`/v1/jobs/${created.json.id}/cancel`);
      await waitFor(async () => (receiver.accepted().length ? true : undefined), 'the callback after the redirect');
      expect(receiver.received.map((r) => r.status)).toEqual([302, 200]);
      expect(JSON.parse(receiver.accepted()[0].body).event).toMatch(/^job\.(cancelled|completed)$/);
      const attempts = (await ctx.api.get(`/v1/jobs/${created.json.id}/notifications`)).json.notifications[0].attempts;
      expect(attempts[0]).toMatchObject({ status: 302, error: 'redirects are not followed' });
    } finally {
      await receiver.close();
    }
  });

  it('checks callback URLs and needs a signing secret', async () => {
    const ftp = await ctx.api.post('/v1/jobs', { type: 'import', items: [], callbackUrl: 'ftp://example.com/x' });
    expect(ftp.status).toBe(400);
    expect(ftp.json.error.message).toBe('callbackUrl: must be https (or http://localhost here)');
    const remoteHttp = await ctx.api.post('/v1/jobs', { type: 'import', items: [], callbackUrl: 'http://example.com/x' });
    expect(remoteHttp.status).toBe(400);
    const other = await ctx.stack.createApiKey('nosecret');
    const noSecret = await fetch(`${ctx.stack.url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'import', items: [], callbackUrl: 'https://example.com/hook' }),
    });
    expect(noSecret.status).toBe(400);
    expect(((await noSecret.json()) as any).error.message).toMatch(/no webhook signing secret/);
  });
});

describe('callbacks from AWS', () => {
  // The deliverer as it runs in AWS (no local http), in front of a job whose callback points inside.
  const ctx = useStack({
    callbackBackoffSeconds: 1,
    workerDeps: (deps) => ({ ...deps, allowLocalCallbacks: false, callbacks: new HttpCallbackSender({ allowLoopback: false }) }),
  });

  it('refuses to call a host that resolves to a private address, and records why', async () => {
    await ctx.stack.rotateWebhookSecret('acme');
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: [], callbackUrl: 'https://localhost:9/hook' });
    expect(created.status).toBe(202);
    const attempts = await waitFor(async () => {
      const [n] = (await ctx.api.get(`/v1/jobs/${created.json.id}/notifications`)).json.notifications;
      return n?.attempts.length ? n.attempts : undefined;
    }, 'a recorded attempt');
    expect(attempts[0].error).toBe('refused: not a public address');
    expect(attempts[0].status).toBeUndefined();
  });
});
