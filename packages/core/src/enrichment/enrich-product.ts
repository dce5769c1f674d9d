import { isBlank } from '../products/is-blank';
import taxonomy from './taxonomy.json';
import { collapseWhitespace, normalizeTitle, slugify, stripHtml, truncateWords, words } from './text';

/** Fields a complete listing has; each is an equal share of the completeness score. */
export const RECOMMENDED_FIELDS = ['title', 'description', 'price', 'brand', 'category', 'images', 'tags', 'inventory'] as const;

export interface Enrichment {
  normalizedTitle: string;
  slug: string;
  seoTitle: string;
  metaDescription: string;
  inferredCategory: string | null;
  tags: string[];
  completeness: number;
  missingFields: string[];
  rulesVersion: number;
}

/** Bump when a rule changes, so re-enrichment rewrites products made with the old rules. */
export const RULES_VERSION = 1;

/**
 * Deterministic enrichment: the output depends only on the product's own
 * imported fields, never on an earlier enrichment or the clock, so enriching
 * twice gives the same product. The rules are listed in docs/api.md.
 */
export function enrichProduct(product: Record<string, unknown>): Enrichment {
  const title = normalizeTitle(String(product.title ?? product.sku ?? ''));
  const brand = typeof product.brand === 'string' ? collapseWhitespace(product.brand) : '';
  const description = typeof product.description === 'string' ? stripHtml(product.description) : '';
  const ownTags = Array.isArray(product.tags) ? product.tags.map((t) => String(t)) : [];
  const inferredCategory = inferCategory(title, [description, ...ownTags].join(' '));
  const category = typeof product.category === 'string' && product.category ? product.category : inferredCategory;

  const seoBase = brand && !title.toLowerCase().includes(brand.toLowerCase()) ? `${title} | ${brand}` : title;
  const metaSource = description || [title, brand && `by ${brand}`, category && `in ${category}`].filter(Boolean).join(' ');

  const missingFields = RECOMMENDED_FIELDS.filter((field) => isBlank(product[field]));
  return {
    normalizedTitle: title,
    slug: slugify(title),
    seoTitle: seoBase.length <= 60 ? seoBase : truncateWords(title, 60),
    metaDescription: truncateWords(metaSource, 160),
    inferredCategory,
    tags: deriveTags(ownTags, brand, category),
    completeness: Math.round(((RECOMMENDED_FIELDS.length - missingFields.length) / RECOMMENDED_FIELDS.length) * 100),
    missingFields,
    rulesVersion: RULES_VERSION,
  };
}

/**
 * The taxonomy entry whose keywords match best; null when none does. A
 * keyword in the title counts three times one in the description or tags:
 * "mug" in the title beats "coffee" in the description.
 */
export function inferCategory(title: string, rest = ''): string | null {
  const inTitle = words(title);
  const inRest = words(rest);
  let best: { path: string; score: number } | null = null;
  for (const { path, keywords } of taxonomy.categories) {
    const score = keywords.reduce(
      (sum, keyword) => {
        const term = words(keyword); // " t shirt " for "t-shirt", as the text is split
        return sum + (inTitle.includes(term) ? 3 : 0) + (inRest.includes(term) ? 1 : 0);
      },
      0,
    );
    if (score > 0 && (!best || score > best.score)) best = { path, score };
  }
  return best?.path ?? null;
}

/** The product's own tags plus brand and category words: lower case, unique, sorted. */
function deriveTags(own: string[], brand: string, category: string | null): string[] {
  const derived = [
    ...own,
    brand,
    ...(category ? category.split('>').map((part) => part.replace(/&/g, 'and')) : []),
  ]
    .map((tag) => collapseWhitespace(tag.toLowerCase()))
    .filter((tag) => tag.length > 0 && tag.length <= 50);
  return [...new Set(derived)].sort().slice(0, 50);
}
