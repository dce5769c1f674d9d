import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/**
 * Runs tsc on a project; resolves with its diagnostics, or how it failed without any (empty when it type-checks).
 * Single-threaded: the suite keeps both cores busy, and tsc's parallel checkers then only add CPU
 * (measured on two cores: 2.5 s of CPU single-threaded against 5.4 s with its defaults, and no slower).
 */
function tsc(project: string): Promise<string> {
  const args = ['node_modules/typescript/bin/tsc', '--noEmit', '--pretty', 'false', '--singleThreaded', '-p', project];
  return new Promise((resolve) =>
    execFile(process.execPath, args, { cwd: root }, (error, stdout, stderr) =>
      resolve(`${stdout}${stderr}` || (error ? `tsc failed: ${error.message}` : '')),
    ),
  );
}

// Part of the suite rather than a step before it, so the type check runs while other suites wait on
// timers and services instead of holding up the whole run.
describe('type check (tsc --noEmit)', () => {
  it('the packages, tests, benchmark and infra', { timeout: 180_000 }, async () => {
    expect(await tsc('.')).toBe('');
  });

  it('the Jobs page, against the DOM and the API client', { timeout: 180_000 }, async () => {
    expect(await tsc('packages/web')).toBe('');
  });
});
