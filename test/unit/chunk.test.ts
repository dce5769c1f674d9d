import { describe, expect, it } from 'vitest';
import { chunkItems, countChunks } from '@merchantops/core/jobs/chunk';
import { chunkMessage, encodeChunk, notifyMessage, taskMessage } from '@merchantops/core/jobs/messages';
import { toBatches } from '@merchantops/aws/sqs-dispatcher';

const job = { jobId: 'j1', tenantId: 't1', type: 'import' as const };

describe('chunkItems', () => {
  it('splits into chunks of K with consecutive numbers and start indexes', () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ i }));
    const chunks = chunkItems(job, items, 25);
    expect(chunks.map((c) => [c.n, c.start, c.items.length])).toEqual([
      [0, 0, 25],
      [1, 25, 25],
      [2, 50, 10],
    ]);
    expect(chunks.flatMap((c) => c.items)).toEqual(items);
  });

  it('gives no chunks for no items', () => {
    expect(chunkItems(job, [], 25)).toEqual([]);
  });

  it('is deterministic, so re-dispatch sends the same chunks', () => {
    const items = Array.from({ length: 7 }, (_, i) => ({ sku: `s${i}` }));
    expect(chunkItems(job, items, 3)).toEqual(chunkItems(job, items, 3));
  });

  it('closes a chunk early when the next item would exceed the byte limit', () => {
    const big = { text: 'x'.repeat(400) };
    const chunks = chunkItems(job, [big, big, big], 25, 1000);
    expect(chunks.map((c) => c.items.length)).toEqual([2, 1]);
    expect(chunks[1].start).toBe(2);
  });

  it('counts the chunks it makes, byte limit included', () => {
    const big = { text: 'x'.repeat(400) };
    expect(countChunks([big, big, big], 25, 1000)).toBe(2);
    expect(countChunks(Array.from({ length: 51 }, () => ({})), 25)).toBe(3);
    expect(countChunks([], 25)).toBe(0);
  });

  it('round-trips through the message body and rejects other bodies', () => {
    const [chunk] = chunkItems(job, [{ a: 1 }], 25);
    expect(chunkMessage.decode(encodeChunk(chunk))).toEqual(chunk);
    expect(() => chunkMessage.decode('{"hello":1}')).toThrow(/expected string/);
    expect(() => chunkMessage.decode('nope')).toThrow(/not JSON/);
    expect(() => chunkMessage.decode(JSON.stringify({ ...chunk, n: -1 }))).toThrow();
    for (const kind of ['plan', 'finalize', 'redrive'] as const) {
      expect(taskMessage.decode(taskMessage.encode({ kind, jobId: 'j1' }))).toEqual({ kind, jobId: 'j1' });
    }
    expect(() => taskMessage.decode('{"delete":"j1"}')).toThrow();
    expect(notifyMessage.decode(notifyMessage.encode('j1'))).toBe('j1');
    expect(() => notifyMessage.decode('{"notify":1}')).toThrow();
  });
});

describe('toBatches (SendMessageBatch limits)', () => {
  it('puts at most 10 entries in a call', () => {
    const entries = Array.from({ length: 23 }, (_, i) => ({ id: String(i), body: 'x' }));
    expect(toBatches(entries).map((b) => b.length)).toEqual([10, 10, 3]);
  });

  it('keeps each call within 1 MiB of bodies', () => {
    const body = 'x'.repeat(400 * 1024);
    const entries = Array.from({ length: 5 }, (_, i) => ({ id: String(i), body }));
    const batches = toBatches(entries);
    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const batch of batches) {
      expect(batch.reduce((sum, e) => sum + e.body.length, 0)).toBeLessThanOrEqual(1024 * 1024);
    }
  });
});
