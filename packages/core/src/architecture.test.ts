import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * packages/core is the domain only: it talks to the outside world through its
 * ports, whose AWS adapters live in @merchantops/aws. This keeps it that way.
 */
const root = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const FORBIDDEN = [
  [/from '@aws-sdk\//, 'the AWS SDK'],
  [/from 'node:(dns|http|https|net|tls)(\/promises)?'/, 'network modules'],
  [/\bfetch\(/, 'fetch'],
  [/from '@merchantops\/(aws|functions|local|client|web|cli)\//, 'an outer package'],
] as const;

describe('the domain package', () => {
  it('has sources to check', () => {
    expect(sources(root).length).toBeGreaterThan(40);
  });

  it.each(FORBIDDEN)('imports no %s', (pattern, what) => {
    const offenders = sources(root).filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(offenders.map((file) => relative(root, file)), `files using ${what}`).toEqual([]);
  });
});
