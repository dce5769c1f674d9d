import { describe, expect, it } from 'vitest';
import { mergeProduct } from '@merchantops/core/products/merge-product';

const input = { sku: 'S1', title: 'Mug', price: 5 };

describe('mergeProduct (import upsert rule)', () => {
  it('creates a product with the default currency', () => {
    const { product, change } = mergeProduct(undefined, input, 't', 'job#0', 'T1');
    expect(change).toBe('created');
    expect(product).toMatchObject({ ...input, currency: 'USD', tenantId: 't', createdAt: 'T1', updatedAt: 'T1' });
  });

  it('replaces the fields it gives and keeps the others, enrichment included', () => {
    const existing = { ...mergeProduct(undefined, { ...input, brand: 'Acme' }, 't', 'job#0', 'T1').product, enrichment: { slug: 'mug' } };
    const { product, change } = mergeProduct(existing, { ...input, price: 6 }, 't', 'job2#0', 'T2');
    expect(change).toBe('updated');
    expect(product).toMatchObject({ price: 6, brand: 'Acme', enrichment: { slug: 'mug' }, createdAt: 'T1', updatedAt: 'T2' });
  });

  it('reports the same data as unchanged and leaves the product as it was', () => {
    const existing = mergeProduct(undefined, input, 't', 'job#0', 'T1').product;
    const again = mergeProduct(existing, { ...input }, 't', 'job2#3', 'T2');
    expect(again.change).toBe('unchanged');
    expect(again.product).toBe(existing);
  });

  it('lets a re-run of the same chunk report what its first run did', () => {
    const first = mergeProduct(undefined, input, 't', 'job#4', 'T1');
    expect(mergeProduct(first.product, input, 't', 'job#4', 'T2').change).toBe('created');
  });
});
