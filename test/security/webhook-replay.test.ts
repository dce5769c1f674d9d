import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  signatureHeader,
  signatureOf,
  signatureV2Of,
  V1_ACCEPTED_UNTIL,
  verifySignatureForm,
} from '@merchantops/core/webhooks/signature';
import { products, useStack } from '../support/stack';

const now = () => Math.floor(Date.now() / 1000);

describe('replayed webhooks never create a second job', () => {
  const ctx = useStack();
  let secret: string;
  beforeAll(async () => {
    secret = await ctx.stack.rotateWebhookSecret('acme');
  });

  const post = (body: string, delivery: string, signature: string) =>
    fetch(`${ctx.stack.url}/v1/webhooks/imports/acme`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'merchantops-delivery': delivery, 'merchantops-signature': signature },
      body,
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));

  const jobIds = async () => ((await ctx.api.get('/v1/jobs?limit=100')).json.jobs as { id: string }[]).map((j) => j.id);

  it('v1 (old form): a captured request replayed under a new delivery id is refused (409)', async () => {
    const body = JSON.stringify({ products: products(2, 0, 'RPL1') });
    const t = now();
    const v1Only = `t=${t},v1=${signatureOf(secret, t, body)}`;
    const delivery = randomUUID();
    const first = await post(body, delivery, v1Only);
    expect(first.status).toBe(202);
    const before = await jobIds();

    const replays = await Promise.all([1, 2, 3].map(() => post(body, randomUUID(), v1Only)));
    for (const replay of replays) {
      expect(replay.status).toBe(409);
      expect(replay.json.error.code).toBe('conflict');
      expect(replay.json.error.message).toMatch(/already received with another delivery id/);
    }
    // The sender's own retry of the same delivery still gets its job.
    const retry = await post(body, delivery, v1Only);
    expect(retry.status).toBe(200);
    expect(retry.json.id).toBe(first.json.id);
    expect(await jobIds()).toEqual(before);
  });

  it('v2: the delivery id is signed, so changing it breaks the signature (401); the same delivery returns its job', async () => {
    const body = JSON.stringify({ products: products(2, 0, 'RPL2') });
    const t = now();
    const delivery = randomUUID();
    const v2Only = `t=${t},v2=${signatureV2Of(secret, t, delivery, body)}`;
    const first = await post(body, delivery, v2Only);
    expect(first.status).toBe(202);
    const before = await jobIds();
    expect((await post(body, randomUUID(), v2Only)).status).toBe(401);
    const again = await post(body, delivery, v2Only);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    // A header with both forms, replayed under a new id: v2 fails, v1 matches but its content was seen.
    const both = signatureHeader([secret], t, body, delivery);
    expect((await post(body, randomUUID(), both)).status).toBe(409);
    expect(await jobIds()).toEqual(before);
  });

  it('v2: the sender may send the same body again as a new, newly signed delivery', async () => {
    const body = JSON.stringify({ products: products(1, 0, 'RPL3') });
    const t = now();
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await post(body, a, `t=${t},v2=${signatureV2Of(secret, t, a, body)}`)).status).toBe(202);
    expect((await post(body, b, `t=${t},v2=${signatureV2Of(secret, t, b, body)}`)).status).toBe(202);
  });
});

describe('signature forms', () => {
  const body = Buffer.from('{"products":[]}');
  const t = 1_800_000_000;

  it('verifies v2 over the delivery id, and v1 only while the old form is accepted', () => {
    const header = signatureHeader(['s3cret'], t, body, 'd-1');
    expect(verifySignatureForm(['s3cret'], header, body, t, { deliveryId: 'd-1' })).toBe('v2');
    expect(verifySignatureForm(['s3cret'], header, body, t, { deliveryId: 'd-2' })).toBe('v1');
    expect(verifySignatureForm(['s3cret'], header, body, t, { deliveryId: 'd-2', acceptV1: false })).toBe(false);
    expect(verifySignatureForm(['other'], header, body, t, { deliveryId: 'd-1' })).toBe(false);
    expect(verifySignatureForm(['s3cret'], header, body, t + 301, { deliveryId: 'd-1' })).toBe(false);
    expect(V1_ACCEPTED_UNTIL.getTime()).toBeGreaterThan(Date.parse('2026-12-01'));
  });
});
