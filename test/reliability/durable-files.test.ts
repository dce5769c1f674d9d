import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { S3FileStore } from '@merchantops/aws/s3-file-store';
import { localS3 } from '@merchantops/local/clients';
import { DurableFileStore } from '@merchantops/local/durable-files';
import { freePort } from '@merchantops/local/ports';

const bucket = 'durable-files-test';
const dir = mkdtempSync(path.join(tmpdir(), 'durable-files-'));
let emulator: FauxqsServer | undefined;
afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh fauxqs on `port` (nothing in it) and the real S3 adapter on it, bare and wrapped. */
async function startEmulator(port: number) {
  await emulator?.stop();
  emulator = await startFauxqs({ port, logger: false });
  const s3 = localS3(emulator.address);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const bare = new S3FileStore(s3, bucket);
  return { bare, files: new DurableFileStore(bare, dir) };
}

const text = async (body: Readable | undefined) => {
  if (!body) return undefined;
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
};

describe('DurableFileStore (npm start with a data folder)', () => {
  it('keeps written, streamed and uploaded files across a restart of the emulator, through the real S3 path', async () => {
    const port = await freePort();
    let { bare, files } = await startEmulator(port);

    // A string, a multi-part stream (over the 5 MiB part size) and an empty file, written through it.
    const small = 'sku,title\nA-1,"Mug, blue"\n';
    expect(await files.write('exports/acme/job-1/export.csv', small, 'text/csv; charset=utf-8')).toBe(Buffer.byteLength(small));
    const line = `${'x'.repeat(1023)}\n`;
    const big = (async function* () {
      for (let i = 0; i < 6 * 1024; i++) yield line;
    })();
    expect(await files.write('exports/acme/job-1/parts/0000001', big, 'application/octet-stream')).toBe(6 * 1024 * 1024);
    expect(await files.write('exports/acme/job-1/parts/0000002', (async function* () {})(), 'application/octet-stream')).toBe(0);
    expect(readFileSync(path.join(dir, 'exports/acme/job-1/export.csv'), 'utf8')).toBe(small);

    // An upload PUT straight to the emulator, as a client does, is kept once size() has seen it.
    const upload = 'sku,title,price\nU-1,Uploaded,3\n';
    const url = await files.uploadUrl('uploads/acme/u1.csv', 'text/csv', 60, Buffer.byteLength(upload));
    // The declared size stays signed into the URL through the wrapper, as in AWS.
    expect(new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-length', 'if-none-match']));
    const put = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv', 'if-none-match': '*' },
      body: upload,
    });
    expect(put.status).toBe(200);
    expect(existsSync(path.join(dir, 'uploads/acme/u1.csv'))).toBe(false);
    expect(await files.size('uploads/acme/u1.csv')).toBe(Buffer.byteLength(upload));
    expect(readFileSync(path.join(dir, 'uploads/acme/u1.csv'), 'utf8')).toBe(upload);
    expect(await files.size('uploads/acme/missing.csv')).toBeUndefined();

    // Restart: a new emulator on the same port holds nothing.
    ({ bare, files } = await startEmulator(port));
    expect(await bare.size('exports/acme/job-1/export.csv')).toBeUndefined();
    expect(await bare.size('uploads/acme/u1.csv')).toBeUndefined();

    expect(await files.size('uploads/acme/u1.csv')).toBe(Buffer.byteLength(upload));
    expect(await text(await files.read('uploads/acme/u1.csv'))).toBe(upload);
    const restored = await text(await files.read('exports/acme/job-1/parts/0000001'));
    expect(restored?.length).toBe(6 * 1024 * 1024);
    expect(restored?.startsWith(line) && restored.endsWith(line)).toBe(true);
    expect(await files.size('exports/acme/job-1/parts/0000002')).toBe(0);
    expect(await files.read('uploads/acme/missing.csv')).toBeUndefined();
    // Back in the emulator itself, not only served from disk.
    expect(await bare.size('uploads/acme/u1.csv')).toBe(Buffer.byteLength(upload));

    // A download link (straight to the emulator) works after a restart, with the written content type.
    ({ bare, files } = await startEmulator(port));
    const download = await fetch(await files.downloadUrl('exports/acme/job-1/export.csv', 'export.csv', 60));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await download.text()).toBe(small);

    // Rewriting a key replaces the copy on disk; no half-written temp files are left.
    await files.write('exports/acme/job-1/export.csv', 'sku\n', 'text/csv');
    ({ bare, files } = await startEmulator(port));
    expect(await text(await files.read('exports/acme/job-1/export.csv'))).toBe('sku\n');
    expect(readFileSync(path.join(dir, 'exports/acme/job-1/export.csv'), 'utf8')).toBe('sku\n');
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  });

  it('refuses keys that would leave its folder', async () => {
    const { files } = await startEmulator(await freePort());
    await expect(files.write('../outside', 'x', 'text/plain')).rejects.toThrow(/unsafe key/);
    await expect(files.size('uploads/../../etc/passwd')).rejects.toThrow(/unsafe key/);
    expect(existsSync(path.join(dir, '..', 'outside'))).toBe(false);
  });
});
