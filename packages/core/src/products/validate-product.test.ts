import { describe, expect, it } from 'vitest';
import { validateProduct, validateSkuRef } from '@merchantops/core/products/validate-product';

const ok = { sku: 'ABC-1', title: 'Mug', price: 12.5 };

describe('validateProduct', () => {
  it('accepts a valid product and keeps other fields', () => {
    expect(validateProduct({ ...ok, color: 'red' })).toEqual({ ok: true, value: { ...ok, color: 'red' } });
  });

  it('upper-cases a 3-letter currency', () => {
    expect(validateProduct({ ...ok, currency: 'eur' })).toMatchObject({ ok: true, value: { currency: 'EUR' } });
  });

  it.each([
    [{ ...ok, sku: undefined }, 'sku: is required'],
    [{ ...ok, sku: '' }, 'sku: must be 1-64 characters'],
    [{ ...ok, sku: 'has space' }, 'sku: must be 1-64 characters'],
    [{ ...ok, sku: 'x'.repeat(65) }, 'sku: must be 1-64 characters'],
    [{ ...ok, sku: 42 }, 'sku: must be a string'],
    [{ ...ok, title: undefined }, 'title: is required'],
    [{ ...ok, title: '   ' }, 'title: must not be empty'],
    [{ ...ok, title: 'x'.repeat(256) }, 'title: must be at most 255 characters'],
    [{ ...ok, price: undefined }, 'price: is required'],
    [{ ...ok, price: -0.01 }, 'price: must be a number ≥ 0'],
    [{ ...ok, price: '12' }, 'price: must be a number ≥ 0'],
    [{ ...ok, currency: 'EURO' }, 'currency: must be a 3-letter currency code'],
    [{ ...ok, currency: 978 }, 'currency: must be a 3-letter currency code'],
  ])('rejects %j with a reason naming the field and rule', (item, reason) => {
    const result = validateProduct(item);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('accepts the edges of each rule', () => {
    expect(validateProduct({ ...ok, sku: 'a'.repeat(64), title: 't'.repeat(255), price: 0 }).ok).toBe(true);
    expect(validateProduct({ ...ok, sku: 'a.b_c-D9' }).ok).toBe(true);
  });

  it('lists every broken field', () => {
    const result = validateProduct({ sku: 'ok' });
    expect(!result.ok && result.reason).toBe('title: is required; price: is required');
  });

  it('rejects items that are not objects', () => {
    for (const item of [null, 'x', 3, [ok]]) {
      expect(validateProduct(item)).toEqual({ ok: false, reason: 'item: must be an object' });
    }
  });
});

describe('validateSkuRef', () => {
  it('needs a valid sku', () => {
    expect(validateSkuRef({ sku: 'A-1' }).ok).toBe(true);
    expect(validateSkuRef({})).toEqual({ ok: false, reason: 'sku: is required' });
  });
});
