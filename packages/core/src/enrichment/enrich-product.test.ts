import { describe, expect, it } from 'vitest';
import { enrichProduct, inferCategory, RULES_VERSION } from '@merchantops/core/enrichment/enrich-product';
import { normalizeTitle, slugify, truncateWords } from '@merchantops/core/enrichment/text';

describe('enrichment rules', () => {
  it('normalizes whitespace and fixes all-caps or all-lower titles, keeping mixed case', () => {
    expect(normalizeTitle('  BLUE   CERAMIC MUG FOR THE DESK ')).toBe('Blue Ceramic Mug for the Desk');
    expect(normalizeTitle('stainless steel bottle')).toBe('Stainless Steel Bottle');
    expect(normalizeTitle('iPhone  15 Case')).toBe('iPhone 15 Case');
  });

  it('makes URL slugs from titles', () => {
    expect(slugify('Café Crème & Co. — 2 Pack!')).toBe('cafe-creme-and-co-2-pack');
    expect(slugify('x'.repeat(100))).toHaveLength(80);
  });

  it('cuts at a word boundary within the limit', () => {
    const cut = truncateWords('one two three four five six', 15);
    expect(cut.length).toBeLessThanOrEqual(15);
    expect(cut).toBe('one two three…');
  });

  it('infers a category from the keyword taxonomy, or none', () => {
    expect(inferCategory('Large coffee mug with lid')).toBe('Home & Kitchen > Drinkware');
    expect(inferCategory('Wireless earbuds', 'with a usb charger')).toBe('Electronics > Audio');
    // title words weigh more than description words
    expect(inferCategory('Mug', 'for coffee or tea')).toBe('Home & Kitchen > Drinkware');
    expect(inferCategory('Gift', 'for coffee or tea')).toBe('Grocery');
    expect(inferCategory('Something entirely different')).toBeNull();
    expect(inferCategory('Organic cotton T-Shirt')).toBe('Apparel > Tops'); // hyphenated keywords match too
  });

  it('builds SEO fields within their limits, tags and a completeness score', () => {
    const product = {
      sku: 'M1',
      title: 'BLUE CERAMIC MUG',
      price: 12,
      brand: 'Acme',
      description: `<p>A <b>sturdy</b> mug.</p> ${'Holds coffee and tea all day long. '.repeat(10)}`,
    };
    const e = enrichProduct(product);
    expect(e).toMatchObject({
      normalizedTitle: 'Blue Ceramic Mug',
      slug: 'blue-ceramic-mug',
      seoTitle: 'Blue Ceramic Mug | Acme',
      inferredCategory: 'Home & Kitchen > Drinkware',
      missingFields: ['category', 'images', 'tags', 'inventory'],
      completeness: 50,
      rulesVersion: RULES_VERSION,
    });
    expect(e.metaDescription.startsWith('A sturdy mug. Holds coffee')).toBe(true);
    expect(e.metaDescription.length).toBeLessThanOrEqual(160);
    expect(e.tags).toEqual(['acme', 'drinkware', 'home and kitchen']);
  });

  it('keeps SEO titles to 60 characters and meta descriptions without a description', () => {
    const e = enrichProduct({ sku: 'L', title: 'An extraordinarily long product title that goes on and on forever', price: 1 });
    expect(e.seoTitle.length).toBeLessThanOrEqual(60);
    // No description, brand or category: the meta description falls back to the title.
    expect(e.metaDescription).toBe(e.normalizedTitle);
    expect(e.completeness).toBe(25);
  });

  it('is deterministic', () => {
    const product = { sku: 'D', title: 'yoga mat', price: 20, tags: ['Fitness'], images: ['https://x/y.png'], inventory: 0 };
    expect(enrichProduct(product)).toEqual(enrichProduct(structuredClone(product)));
    expect(enrichProduct(product).missingFields).toEqual(['description', 'brand', 'category']);
  });
});
