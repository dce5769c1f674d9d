import { describe, expect, it } from 'vitest';
import { attributeSize, itemSize, readUnits, toItem, touchedAttributes, writeUnits, type TableShape } from '../../bench/write-units';

const jobs: TableShape = { hashKey: 'pk', rangeKey: 'sk', indexes: [{ hashKey: 'gsi1pk', rangeKey: 'gsi1sk', projection: 'ALL' }] };
const keysOnly: TableShape = { ...jobs, indexes: [{ ...jobs.indexes[0], projection: 'KEYS_ONLY' }] };
const plain: TableShape = { hashKey: 'tenantId', rangeKey: 'sku', indexes: [] };
const write = (over: Partial<Parameters<typeof writeUnits>[0]>) =>
  ({ kind: 'put', size: 100, attributes: ['pk', 'sk'], transactional: false, ...over }) as Parameters<typeof writeUnits>[0];

describe('item size by DynamoDB rules', () => {
  it('counts names and values: strings by UTF-8 bytes, numbers by significant digits, containers with overhead', () => {
    expect(attributeSize({ S: 'héllo' })).toBe(6);
    expect(attributeSize({ N: '12345' })).toBe(4);
    expect(attributeSize({ N: '-0.0100' })).toBe(2);
    expect(attributeSize({ BOOL: true })).toBe(1);
    expect(attributeSize({ L: [{ S: 'ab' }, { N: '1' }] })).toBe(3 + 3 + 3);
    expect(attributeSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 2 + 1);
    expect(itemSize({ pk: { S: 'JOB#1' }, n: { N: '7' } })).toBe(2 + 5 + 1 + 2);
  });

  it('sizes plain values as the document client would store them', () => {
    expect(itemSize(toItem({ sku: 'A-1', price: 12.5, tags: ['x'], skip: undefined }))).toBe(
      itemSize({ sku: { S: 'A-1' }, price: { N: '12.5' }, tags: { L: [{ S: 'x' }] } }),
    );
  });
});

describe('write units by AWS rules', () => {
  it('rounds each write up to 1 KB, at least one unit', () => {
    expect(writeUnits(write({ size: 10 }), plain)).toEqual({ table: 1, indexes: 0 });
    expect(writeUnits(write({ size: 1024 }), plain)).toEqual({ table: 1, indexes: 0 });
    expect(writeUnits(write({ size: 1025 }), plain)).toEqual({ table: 2, indexes: 0 });
  });

  it('charges twice inside a transaction, condition checks included', () => {
    expect(writeUnits(write({ size: 1500, transactional: true }), plain).table).toBe(4);
    expect(writeUnits(write({ kind: 'check', transactional: true }), jobs)).toEqual({ table: 2, indexes: 0 });
  });

  it('adds a copy per index that holds the item: its full size for ALL, one unit for KEYS_ONLY', () => {
    const attributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'processed'];
    expect(writeUnits(write({ size: 2100, attributes }), jobs)).toEqual({ table: 3, indexes: 3 });
    expect(writeUnits(write({ size: 2100, attributes }), keysOnly)).toEqual({ table: 3, indexes: 1 });
    // Not in the index: no copy.
    expect(writeUnits(write({ size: 2100 }), jobs)).toEqual({ table: 3, indexes: 0 });
  });

  it('writes a KEYS_ONLY index on update only when the update touches its keys', () => {
    const attributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'processed'];
    expect(writeUnits(write({ kind: 'update', attributes, touched: ['processed'] }), keysOnly).indexes).toBe(0);
    expect(writeUnits(write({ kind: 'update', attributes, touched: ['gsi1sk'] }), keysOnly).indexes).toBe(1);
    expect(writeUnits(write({ kind: 'update', attributes, touched: ['processed'] }), jobs).indexes).toBe(1);
  });

  it('finds the attributes an update expression names', () => {
    expect(
      touchedAttributes('SET #s = :s, updatedAt = if_not_exists(updatedAt, :t) ADD #p :one REMOVE planning', {
        '#s': 'status',
        '#p': 'processed',
      }).sort(),
    ).toEqual(['planning', 'processed', 'status', 'updatedAt']);
  });
});

describe('read units by AWS rules', () => {
  it('charges per item rounded to 4 KB, half when eventually consistent, the minimum for a missing item', () => {
    expect(readUnits({ sizes: [100, 0, 5000], consistent: true, transactional: false, summed: false })).toBe(4);
    expect(readUnits({ sizes: [100, 0, 5000], consistent: false, transactional: false, summed: false })).toBe(2);
    expect(readUnits({ sizes: [100], consistent: true, transactional: true, summed: false })).toBe(2);
  });

  it('charges a query on the sum of its items', () => {
    expect(readUnits({ sizes: [1000, 1000, 1000], consistent: true, transactional: false, summed: true })).toBe(1);
    expect(readUnits({ sizes: [], consistent: false, transactional: false, summed: true })).toBe(0.5);
  });
});
