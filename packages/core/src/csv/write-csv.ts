/**
 * One CSV line (RFC 4180): fields with a comma, quote or line break are quoted.
 * Values are written as they are (no formula escaping), so a product file
 * exported or downloaded here imports back as the same data.
 */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
