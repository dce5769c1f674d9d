import { describe, expect, it } from 'vitest';
import { allFailures, useStack, uploadFile, waitForJob } from '../support/stack';

describe('imports from an uploaded file', () => {
  const ctx = useStack();

  const importUpload = async (uploadId: string, extra: Record<string, unknown> = {}) => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId }, ...extra });
    expect(created.status).toBe(202);
    expect(created.json).toMatchObject({ planning: true, total: null, source: { kind: 'upload', uploadId } });
    return waitForJob(ctx.api, created.json.id, 60_000);
  };

  it('imports a CSV with mixed good and bad rows; bad rows fail with their line number', async () => {
    const csv = [
      'sku,title,price,currency,tags,description,attr:color',
      'CSV-1,Blue mug,12.5,eur,kitchen|mugs,"A mug, blue ""and"" big",blue',
      'CSV-2,Plate,not-a-price,,,,',
      '"CSV-3","Multi',
      'line title",3,,,,',
      'CSV-4,Too,few',
      'CSV-5,Bad "quote,1,,,,',
      '',
      'CSV-6,Bowl,4,,,,',
    ].join('\r\n');
    const job = await importUpload(await uploadFile(ctx.api, 'feed.csv', csv));
    expect(job).toMatchObject({ status: 'completed', total: 6, processed: 6, failed: 3, result: { created: 3 } });

    const failures = await allFailures(ctx.api, job.id);
    expect(failures.map((f) => [f.line, f.reason])).toEqual([
      [3, 'price: must be a number ≥ 0'],
      [6, 'malformed row: expected 7 fields, found 3'],
      [7, 'malformed row: a quote inside an unquoted field'],
    ]);
    const mug = (await ctx.api.get('/v1/products/CSV-1')).json;
    expect(mug).toMatchObject({
      title: 'Blue mug',
      price: 12.5,
      currency: 'EUR',
      tags: ['kitchen', 'mugs'],
      description: 'A mug, blue "and" big',
      attributes: { color: 'blue' },
    });
    expect((await ctx.api.get('/v1/products/CSV-3')).json.title).toBe('Multi\r\nline title'.replace('\r', ''));
    expect((await ctx.api.get('/v1/products/CSV-6')).status).toBe(200);
  });

  it('imports JSON Lines; a line that is not JSON fails with its line number', async () => {
    const jsonl = [
      JSON.stringify({ sku: 'JL-1', title: 'One', price: 1 }),
      '{"sku": "JL-2", "title": ',
      JSON.stringify({ sku: 'JL-3', title: 'Three', price: -3 }),
      '',
      JSON.stringify({ sku: 'JL-4', title: 'Four', price: 4, inventory: 7 }),
    ].join('\n');
    const job = await importUpload(await uploadFile(ctx.api, 'feed.jsonl', jsonl));
    expect(job).toMatchObject({ status: 'completed', total: 4, processed: 4, failed: 2 });
    expect((await allFailures(ctx.api, job.id)).map((f) => [f.line, f.reason])).toEqual([
      [2, 'malformed line: not valid JSON'],
      [3, 'price: must be a number ≥ 0'],
    ]);
    expect((await ctx.api.get('/v1/products/JL-4')).json.inventory).toBe(7);
  });

  it.each([
    ['a CSV without a sku column', 'bad.csv', 'title,price\nX,1\n', 'header row: there is no sku column'],
    ['an empty CSV', 'empty.csv', '', 'the file is empty: a CSV file needs a header row'],
    ['a file that is not UTF-8', 'latin1.csv', Buffer.from([0x73, 0x6b, 0x75, 0x0a, 0xff, 0xfe, 0x0a]), 'the file is not valid UTF-8 text'],
  ])('fails the job with a reason for %s', async (_name, filename, body, reason) => {
    const job = await importUpload(await uploadFile(ctx.api, filename, body));
    expect(job).toMatchObject({ status: 'failed', error: reason });
  });

  it('rejects a job over an upload with no file, or an unknown upload (400, nothing created)', async () => {
    const before = (await ctx.api.get('/v1/jobs?limit=100')).json.jobs.length;
    const upload = await ctx.api.post('/v1/uploads', { filename: 'never-sent.csv' });
    expect(upload.status).toBe(201);
    const noFile = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: upload.json.uploadId } });
    expect(noFile.status).toBe(400);
    expect(noFile.json.error.message).toMatch(/^source\.uploadId: nothing was uploaded yet/);
    const unknown = await ctx.api.post('/v1/jobs', { type: 'import', source: { uploadId: 'nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(/^source\.uploadId: upload nope does not exist/);
    expect((await ctx.api.get('/v1/jobs?limit=100')).json.jobs.length).toBe(before);
  });

  it('validates upload requests', async () => {
    const bad = await ctx.api.post('/v1/uploads', { filename: 'feed.xlsx' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^format: must be csv or jsonl/);
    const wrongFormat = await ctx.api.post('/v1/uploads', { format: 'xml' });
    expect(wrongFormat.status).toBe(400);
    expect(wrongFormat.json.error.message).toMatch(/^format: must be one of csv, jsonl/);
    const ok = await ctx.api.post('/v1/uploads', { format: 'jsonl' });
    expect(ok.json).toMatchObject({ format: 'jsonl', method: 'PUT', url: expect.stringMatching(/^http/) });
  });
});
