import { stringify, type Options } from 'csv-stringify/sync';

/**
 * RFC 4180 CSV written with csv-stringify: fields with a comma, quote or line
 * break are quoted, quotes doubled, lines end in \r\n. Values are written as
 * they are (no formula escaping), so a product file exported or downloaded
 * here imports back as the same data: true/false as words, objects as JSON.
 */
const OPTIONS: Options = {
  record_delimiter: '\r\n',
  quoted_match: /[\r\n]/, // csv-stringify itself quotes only the record delimiter, not a lone \n or \r
  cast: { boolean: String, object: (value) => JSON.stringify(value), date: (value) => JSON.stringify(value) },
};

/** One CSV line, with its line break. */
export function csvLine(values: readonly unknown[]): string {
  return stringify([values as unknown[]], OPTIONS);
}
