/**
 * The benchmark's input: the same products for every run, from a seeded PRNG,
 * with a given share of invalid items (each breaks one validation rule).
 */

/** mulberry32: a small, fast, seedable PRNG; the same seed gives the same sequence. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Workload {
  items: Record<string, unknown>[];
  /** Items the product validator rejects. */
  invalid: number;
  /** Distinct SKUs among the valid items: the products an import should leave. */
  products: number;
}

const WORDS = ['mug', 'lamp', 'chair', 'desk', 'shelf', 'kettle', 'vase', 'rug', 'clock', 'pillow', 'frame', 'bowl'];
const COLORS = ['red', 'blue', 'green', 'black', 'white', 'oak', 'steel'];
const BROKEN: ((item: Record<string, unknown>) => void)[] = [
  (item) => (item.price = -1),
  (item) => delete item.title,
  (item) => (item.sku = 'not a sku!'),
  (item) => (item.currency = 'euro'),
  (item) => (item.price = 'n/a'),
];

/**
 * `count` products shaped like a typical catalogue row (~300 bytes of JSON),
 * exactly round(count × invalidPercent / 100) of them invalid, spread at random.
 */
export function makeWorkload(count: number, invalidPercent: number, seed: number): Workload {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const invalidCount = Math.round((count * invalidPercent) / 100);
  // Choose exactly invalidCount indexes (partial Fisher-Yates over the index list).
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = 0; i < invalidCount; i++) {
    const j = i + Math.floor(random() * (count - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const invalid = new Set(order.slice(0, invalidCount));

  const items = Array.from({ length: count }, (_, i) => {
    const word = pick(WORDS);
    const color = pick(COLORS);
    const item: Record<string, unknown> = {
      sku: `BENCH-${String(i).padStart(7, '0')}`,
      title: `${color[0].toUpperCase()}${color.slice(1)} ${word} ${i}`,
      description: `A ${color} ${word} for everyday use, model ${Math.floor(random() * 1e6)}.`,
      price: Math.round(random() * 50_000) / 100,
      currency: pick(['USD', 'EUR', 'GBP']),
      brand: pick(['Acme', 'Globex', 'Initech', 'Umbrella']),
      category: `home/${word}`,
      tags: [word, color],
      attributes: { color, size: pick(['S', 'M', 'L']) },
      inventory: Math.floor(random() * 1000),
    };
    if (invalid.has(i)) pick(BROKEN)(item);
    return item;
  });
  return { items, invalid: invalidCount, products: count - invalidCount };
}

/**
 * The workload as an import CSV (header + one row per item), for the upload
 * measurement: the short columns only (~80 bytes a row), since the S3 emulator
 * takes at most 11 MiB in one PUT.
 */
export function toCsv(items: Record<string, unknown>[]): string {
  const cell = (value: unknown) => {
    if (value === undefined) return '';
    const text = Array.isArray(value) ? value.join('|') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const columns = ['sku', 'title', 'price', 'currency', 'brand', 'category', 'tags', 'inventory'];
  return [columns.join(','), ...items.map((item) => columns.map((c) => cell(item[c])).join(','))].join('\n') + '\n';
}
