import { describe, expect, it } from 'vitest';
import { useStack, waitForJob } from '../support/stack';

describe('uploads have a maximum size', () => {
  const ctx = useStack({ maxUploadBytes: 1000 });

  it('refuses a declared size over the maximum (413), and signs the declared size into the upload URL', async () => {
    const big = await ctx.api.post('/v1/uploads', { filename: 'big.csv', size: 5000 });
    expect(big.status).toBe(413);
    expect(big.json.error).toEqual({
      code: 'payload_too_large',
      message: 'size: the uploaded file is 4.9 KiB; an upload may be at most 1000 bytes',
    });
    expect((await ctx.api.post('/v1/uploads', { filename: 'x.csv', size: -1 })).status).toBe(400);

    const ok = await ctx.api.post('/v1/uploads', { filename: 'small.csv', size: 500 });
    expect(ok.status).toBe(201);
    expect(ok.json.headers).toEqual({ 'Content-Type': 'text/csv', 'If-None-Match': '*', 'Content-Length': '500' });
    // S3 refuses a PUT of another length to this URL: Content-Length is one of the signed headers.
    expect(new URL(ok.json.url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-length');
    const unsized = await ctx.api.post('/v1/uploads', { filename: 'any.csv' });
    expect(new URL(unsized.json.url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).not.toContain('content-length');
  });

  it('signs If-None-Match: * into every upload URL, so S3 stores the file once and a job reads what was first sent', async () => {
    // The emulator does not enforce conditional writes; S3 answers 412 to a second PUT. What can be checked
    // here is that the condition is part of the signature, so a client cannot leave it out.
    for (const body of [{ filename: 'a.csv' }, { filename: 'b.jsonl', size: 10 }]) {
      const upload = await ctx.api.post('/v1/uploads', body);
      expect(upload.json.headers['If-None-Match']).toBe('*');
      expect(new URL(upload.json.url).searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('if-none-match');
    }
  });

  it('fails a job whose stored file is over the maximum before reading it, with a clear reason', async () => {
    const upload = await ctx.api.post('/v1/uploads', { filename: 'huge.csv' });
    const body = 'sku,title,price\n' + Array.from({ length: 100 }, (_, i) => `S${i},Thing ${i},${i + 1}`).join('\n');
    expect(Buffer.byteLength(body)).toBeGreaterThan(1000);
    const put = await fetch(upload.json.url, { method: 'PUT', headers: upload.json.headers, body });
    expect(put.ok).toBe(true);
    const created = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: upload.json.uploadId } });
    expect(created.status).toBe(202);
    const job = await waitForJob(ctx.api, created.json.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^the uploaded file is 1\.\d KiB; an upload may be at most 1000 bytes$/);
    expect(job.processed).toBe(0);
  });
});
