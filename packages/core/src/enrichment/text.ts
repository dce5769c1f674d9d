/** Small deterministic text helpers for enrichment. */

const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

export const collapseWhitespace = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Whitespace collapsed; a title written all in upper or all in lower case is
 * put in Title Case (small words lower, except first). Mixed case is the
 * merchant's choice and is kept.
 */
export function normalizeTitle(title: string): string {
  const clean = collapseWhitespace(title);
  const letters = clean.replace(/[^\p{L}]/gu, '');
  if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) return clean;
  return clean
    .toLowerCase()
    .split(' ')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/** ASCII, lower case, words joined by "-", at most 80 characters. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** Cuts at a word boundary so the result, with "…", is at most `max` characters. */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:-]+$/, '')}…`;
}

export const stripHtml = (text: string) => collapseWhitespace(text.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' '));

/** Lower-case words of a text, for keyword matching. */
export const words = (text: string) => ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
