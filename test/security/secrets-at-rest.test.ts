import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { localSecretsKey } from '@merchantops/local/secrets-key';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { localDynamo } from '@merchantops/local/clients';
import { documentClient } from '@merchantops/aws/clients';
import { DynamoKeyStore } from '@merchantops/aws/dynamo-key-store';
import { newSecretsKey, noSecretBox, secretBox } from '@merchantops/core/webhooks/secret-box';
import { signatureHeader } from '@merchantops/core/webhooks/signature';
import { products, useStack } from '../support/stack';

const KEY = newSecretsKey();

describe('webhook signing secrets at rest', () => {
  const ctx = useStack({ webhookSecretsKey: KEY });
  const dynamo = localDynamo(inject('dynamoEndpoint'));
  const db = documentClient(dynamo);
  afterAll(() => dynamo.destroy());
  const raw = async (tenant: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: ctx.stack.resources.jobsTable, Key: { pk: `TENANT#${tenant}`, sk: 'TENANT' } }),
    );
    return Item!;
  };

  const webhook = (tenant: string, secret: string, sku: string) => {
    const body = JSON.stringify({ products: products(1, 0, sku) });
    const delivery = randomUUID();
    return fetch(`${ctx.stack.url}/v1/webhooks/imports/${tenant}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'merchantops-delivery': delivery,
        'merchantops-signature': signatureHeader([secret], Math.floor(Date.now() / 1000), body, delivery),
      },
      body,
    }).then((r) => r.status);
  };

  it('stores secrets sealed (AES-256-GCM), never in plaintext, and the key nowhere in the table', async () => {
    const secret = await ctx.stack.rotateWebhookSecret('acme');
    const stored = (await raw('acme')).webhookSecrets[0].secret as string;
    expect(stored).toMatch(/^enc:v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice(6));
    const { Items } = await db.send(new ScanCommand({ TableName: ctx.stack.resources.jobsTable }));
    const dump = JSON.stringify(Items);
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(KEY);
    // Still what verifies the tenant's webhooks.
    expect(await webhook('acme', secret, 'SEALED')).toBe(202);
    expect((await ctx.stack.deps.keys.settings('acme'))!.webhookSecrets[0].secret).toBe(secret);
  });

  it('reads a secret stored before encryption, and seals it at the next rotation (the migration)', async () => {
    const legacy = 'whsec_stored_in_plaintext_before_encryption';
    await ctx.stack.createApiKey('legacy');
    const item = await raw('legacy');
    await db.send(
      new PutCommand({
        TableName: ctx.stack.resources.jobsTable,
        Item: { ...item, webhookSecrets: [{ secret: legacy, createdAt: '2026-01-01T00:00:00.000Z' }] },
      }),
    );
    expect(await webhook('legacy', legacy, 'OLDPLAIN')).toBe(202);

    const fresh = await ctx.stack.rotateWebhookSecret('legacy', 3600);
    const stored = (await raw('legacy')).webhookSecrets as { secret: string }[];
    expect(stored).toHaveLength(2);
    for (const s of stored) expect(s.secret).toMatch(/^enc:v1:/);
    expect(JSON.stringify(stored)).not.toContain(legacy);
    // Both verify during the grace period, as with any rotation.
    expect(await webhook('legacy', legacy, 'GRACE')).toBe(202);
    expect(await webhook('legacy', fresh, 'FRESH')).toBe(202);
  });

  it('cannot be opened without the key, with another key, or under another tenant', async () => {
    await ctx.stack.rotateWebhookSecret('acme');
    const stored = (await raw('acme')).webhookSecrets[0].secret as string;
    expect(() => secretBox(newSecretsKey()).open(stored, 'acme')).toThrow();
    expect(() => secretBox(KEY).open(stored, 'globex')).toThrow();
    expect(() => noSecretBox.open(stored, 'acme')).toThrow(/no WEBHOOK_SECRETS_KEY/);
    expect(() => noSecretBox.seal('x', 'acme')).toThrow(/no WEBHOOK_SECRETS_KEY/);
    const withoutKey = new DynamoKeyStore(db, ctx.stack.resources.jobsTable);
    await expect(withoutKey.settings('acme')).rejects.toThrow(/no WEBHOOK_SECRETS_KEY/);
    expect(() => secretBox('c2hvcnQ=')).toThrow(/32 bytes/);
  });
});

describe('the local key file', () => {
  it('is created on first use (owner-only), read afterwards, and WEBHOOK_SECRETS_KEY overrides it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mo-key-'));
    try {
      const first = localSecretsKey(path.join(dir, 'data'), {});
      expect(first.source).toBe(path.join(dir, 'data', 'webhook-secrets.key'));
      expect(statSync(first.source).mode & 0o777).toBe(0o600);
      expect(Buffer.from(first.key, 'base64')).toHaveLength(32);
      expect(localSecretsKey(path.join(dir, 'data'), {}).key).toBe(first.key);
      const given = newSecretsKey();
      expect(localSecretsKey(path.join(dir, 'data'), { WEBHOOK_SECRETS_KEY: given })).toEqual({ key: given, source: 'WEBHOOK_SECRETS_KEY' });
      expect(() => localSecretsKey(path.join(dir, 'data'), { WEBHOOK_SECRETS_KEY: 'short' })).toThrow(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
