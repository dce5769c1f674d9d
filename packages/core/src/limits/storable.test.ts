import { describe, expect, it } from 'vitest';
import { checkStorable, itemLimits } from '@merchantops/core/limits/storable';
import { toQueueJson } from '@merchantops/core/limits/sqs-text';
import { admitItem, chunkItems, MAX_CHUNK_BYTES } from '@merchantops/core/jobs/chunk';
import { encodeChunk } from '@merchantops/core/jobs/messages';

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });
const nestedList = (depth: number): unknown => (depth === 0 ? 1 : [nestedList(depth - 1)]);

describe('checkStorable', () => {
  it('accepts what DynamoDB stores: safe integers, small and large finite numbers, any well-formed text', () => {
    for (const value of [0, -0, 1, -1, 0.1, 1e-130, -1e-129, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 123.456e10]) {
      expect(checkStorable({ sku: 'x', value }).problem, String(value)).toBeUndefined();
    }
    for (const text of ['', 'plain', '☕️🚀👩‍👩‍👧', '\uffff\ufffe', '\u0000\u0007', '𠜎𝔸', 'עברית']) {
      expect(checkStorable({ sku: 'x', text }).problem, JSON.stringify(text)).toBeUndefined();
    }
  });

  it('names the path and the rule of a number DynamoDB or the SDK would refuse', () => {
    const outOfRange = [2 ** 53, -(2 ** 53), 1e20, -1e300, Number.MAX_VALUE, 1e-131, -5e-324, 2.5e-200];
    for (const value of outOfRange) {
      expect(checkStorable({ deep: { list: [1, { value }] } }).problem, String(value)).toMatch(
        /^deep\.list\[1\]\.value: number out of range/,
      );
    }
  });

  it('refuses nesting deeper than the limit, in maps and lists alike, and accepts it up to the limit', () => {
    const limit = itemLimits.nestingLevels;
    expect(checkStorable({ x: nested(limit) }).problem).toBeUndefined();
    expect(checkStorable({ x: nestedList(limit) }).problem).toBeUndefined();
    for (const depth of [limit + 1, limit + 2, 64, 500]) {
      expect(checkStorable({ x: nested(depth) }).problem, `maps ${depth}`).toMatch(/nested more than 30 levels deep$/);
      expect(checkStorable({ x: nestedList(depth) }).problem, `lists ${depth}`).toMatch(/nested more than 30 levels deep$/);
    }
  });

  it('refuses empty attribute names and unpaired surrogates anywhere', () => {
    expect(checkStorable({ '': 1 }).problem).toBe('"": attribute names must not be empty');
    expect(checkStorable({ a: { b: [{ '': 1 }] } }).problem).toBe('a.b[0]."": attribute names must not be empty');
    expect(checkStorable({ t: 'x\ud800' }).problem).toMatch(/^t: text contains an unpaired surrogate/);
    expect(checkStorable({ t: '\udc00x' }).problem).toMatch(/^t: text contains an unpaired surrogate/);
    expect(checkStorable({ ['k\ud800']: 1 }).problem).toMatch(/attribute name contains an unpaired surrogate/);
  });

  it("sizes an item by DynamoDB's rules and refuses one over the limit", () => {
    // name (1) + string (3); name (1) + number 12.5 (2 + 1); name (1) + list: 3 + 2 x (1 + 1)
    expect(checkStorable({ a: 'abc', b: 12.5, c: [true, null] }).bytes).toBe(4 + 4 + 8);
    const justUnder = { sku: 'x', text: 'y'.repeat(itemLimits.bytes - 8) };
    expect(checkStorable(justUnder).problem).toBeUndefined();
    const over = { sku: 'x', text: 'y'.repeat(itemLimits.bytes) };
    expect(checkStorable(over).problem).toMatch(/^item too large: 392\.0 KB as stored \(max 392\.0 KB\)$/);
  });
});

describe('toQueueJson', () => {
  const SQS_ALLOWED = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]*$/;

  it('gives back the same value, in characters every SQS queue and the emulator accept', () => {
    const samples = ['☕️🚀', '\uffff\ufffe', 'nul\u0000bell\u0007', 'lone \ud800 and \udfff', '𠜎𝔸ℂ', 'tab\tnew\nline', 'ok'];
    // A seeded walk over code points, surrogate halves included.
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      let text = '';
      for (let j = 0; j < 20; j++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        text += String.fromCharCode(seed % 0x10000);
      }
      samples.push(text);
    }
    for (const text of samples) {
      const body = toQueueJson({ text, nested: [text] });
      expect(body, JSON.stringify(text)).toMatch(SQS_ALLOWED);
      expect(JSON.parse(body)).toEqual({ text, nested: [text] });
    }
  });
});

describe('chunks and the message size', () => {
  const head = { jobId: 'j', tenantId: 't', type: 'import' as const };

  it('splits big items so that no chunk message passes 1 MiB', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ sku: `s${i}`, text: 'é'.repeat(200_000) })); // 400 KB of UTF-8 each
    const chunks = chunkItems(head, items, 100);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) expect(Buffer.byteLength(encodeChunk(chunk))).toBeLessThanOrEqual(1024 * 1024);
    expect(chunks.flatMap((c) => c.items)).toEqual(items);
  });

  it('turns an item too large for a message into a failure with a preview, before anything is sent', () => {
    const big = { sku: 'big', text: '🚀'.repeat(80_000) }; // 320 KB stored, 960 KB escaped
    const admitted = admitItem(big);
    expect(admitted.item).toMatchObject({ $error: expect.stringMatching(/^item too large: 9\d\d\.\d KB as a queue message \(max 900\.0 KB\)$/) });
    expect((admitted.item as { raw: string }).raw.length).toBeLessThanOrEqual(501);
    expect(admitted.bytes).toBeLessThan(2000);
  });

  it('refuses to encode a chunk over the message limit (a bug guard, never reached through the chunker)', () => {
    const chunk = { ...head, n: 0, start: 0, items: [{ text: 'x'.repeat(MAX_CHUNK_BYTES + 200_000) }] };
    expect(() => encodeChunk(chunk)).toThrow(/over the 1024\.0 KB message limit/);
  });
});
