import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { products, useStack } from '../support/stack';
import { slowImports } from '../web/slow-imports';

const root = new URL('../../', import.meta.url).pathname;
const BIN = join(root, 'packages/cli/bin/merchantops.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process, the way a user does. */
function run(args: string[], env: Record<string, string | undefined> = {}, cwd = root): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (text: string) => text.trim().split('\n').filter(Boolean);

describe('merchantops (the CLI)', () => {
  // Imports are a little slow (50 ms a chunk, one at a time), so there is a running job to cancel.
  const ctx = useStack({ visibilityTimeoutSeconds: 30, workerDeps: slowImports(50) });
  const dir = mkdtempSync(join(tmpdir(), 'merchantops-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ MERCHANTOPS_URL: ctx.stack.url, MERCHANTOPS_API_KEY: ctx.key });
  const cli = (...args: string[]) => run(args, env());
  const json = async (...args: string[]) => {
    const result = await cli('--json', ...args);
    expect(result.stderr, args.join(' ')).toBe('');
    return { ...result, value: JSON.parse(result.stdout) };
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('has help, and npx finds it from the repository root', { timeout: 60_000 }, async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['create', 'list', 'show', 'watch', 'failures', 'retry', 'cancel', 'download']) expect(help.stdout).toContain(`jobs ${command}`);
    expect(help.stdout).toMatch(/Exit status:[\s\S]*0[\s\S]*2[\s\S]*1/);
    expect((await run(['jobs', 'watch', '--help'])).stdout).toContain('Exit status: 0 completed with no failed items, 2');

    const npx = await new Promise<Run>((resolve) =>
      // No update check: npm would otherwise ask the registry for a newer npm once a week (tests stay on loopback).
      execFile('npx', ['--no-install', 'merchantops', '--help'], { cwd: root, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(npx.code, npx.stderr).toBe(0);
    expect(npx.stdout).toContain('Usage: merchantops');
  });

  it('says what is wrong with a command line, with exit status 1', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['jobs', 'list'], { MERCHANTOPS_URL: ctx.stack.url }, /no API key: pass --key or set MERCHANTOPS_API_KEY/],
      [['jobs', 'frobnicate'], env(), /unknown command "jobs frobnicate"/],
      [['jobs', 'show'], env(), /jobs show needs <id>/],
      [['jobs', 'list', '--file', 'x'], env(), /jobs list has no option --file/],
      [['jobs', 'create', '--type', 'enrichment'], env(), /needs --all \(every product\) or --missing/],
      [['jobs', 'create', '--type', 'import', '--file', join(dir, 'nope.csv')], env(), /cannot read .*nope\.csv: ENOENT/],
      [['jobs', 'list', '--limit', '500'], env(), /--limit must be a whole number from 1 to 100/],
    ];
    for (const [args, environment, message] of cases) {
      const result = await run(args, environment);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.stdout).toBe('');
    }
    const json = await run(['--json', 'jobs', 'show', 'not-a-job'], env());
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'not_found', message: 'job not-a-job not found', status: 404 } });
    const badKey = await run(['jobs', 'list', '--url', ctx.stack.url, '--key', 'mo_wrong']);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/HTTP 401 unauthorized/);
  });

  it('imports a small JSON Lines file inline and watches it: exit 2 when items failed', { timeout: 60_000 }, async () => {
    const jsonl = file('products.jsonl', products(60, 10, 'JL').map((p) => JSON.stringify(p)).join('\n') + '\n');
    const created = await json('jobs', 'create', '--type', 'import', '--file', jsonl);
    expect(created.code).toBe(0);
    expect(created.value).toMatchObject({ type: 'import', total: 60, source: { kind: 'items' } });

    const watched = await cli('jobs', 'watch', created.value.id, '--interval', '200');
    expect(watched.code, watched.stderr).toBe(2);
    const out = lines(watched.stdout);
    expect(out.at(-4)).toMatch(/^\[█{10,}\]\s+100%\s+60\/60\s+failed 6\s+[\d.]+ items\/(s|min)\s+took \d+ s$/);
    expect(watched.stdout).toContain('⚠ completed with failures: 54 of 60 items succeeded, 6 failed');
    expect(watched.stdout).toContain('6  price: must be a number ≥ 0');
    expect(watched.stdout).toContain(`merchantops jobs failures ${created.value.id}`);

    // --json: one JSON line per change, the last one finished
    const ndjson = await cli('--json', 'jobs', 'watch', created.value.id);
    expect(ndjson.code).toBe(2);
    expect(JSON.parse(lines(ndjson.stdout).at(-1)!)).toMatchObject({ status: 'completed', processed: 60, failed: 6 });
  });

  it('uploads a CSV file and watches it to a clean finish: exit 0', { timeout: 60_000 }, async () => {
    const csv = file('products.csv', ['sku,title,price,brand', ...products(120, 0, 'CSV').map((p) => `${p.sku},${p.title},${p.price},Acme`)].join('\n'));
    const result = await cli('jobs', 'create', '--type', 'import', '--file', csv, '--watch');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/uploading products\.csv \([\d,]+ bytes\)…/);
    expect(result.stdout).toMatch(/✓ completed: 120 items in \d+ s/);
    const [job] = (await json('jobs', 'list', '--limit', '1')).value.jobs;
    expect(job).toMatchObject({ source: { kind: 'upload', format: 'csv' }, processed: 120, failed: 0 });
    expect((await ctx.api.get('/v1/products/CSV-00119')).json).toMatchObject({ title: 'Product 119', brand: 'Acme' });

    // --upload sends even a small JSON Lines file through an upload
    const jsonl = file('one.jsonl', '{"sku":"UP-1","title":"Up","price":1}\n');
    const uploaded = await json('jobs', 'create', '--type', 'import', '--file', jsonl, '--upload');
    expect(uploaded.value.source).toMatchObject({ kind: 'upload', format: 'jsonl' });
  });

  it('enriches and exports every product, and downloads the export', { timeout: 90_000 }, async () => {
    const enrich = await cli('jobs', 'create', '--type', 'enrichment', '--all', '--watch');
    expect(enrich.code, enrich.stdout + enrich.stderr).toBe(0);
    expect(enrich.stdout).toContain('✓ completed');

    const exported = await cli('--json', 'jobs', 'create', '--type', 'export', '--all', '--format', 'csv', '--watch');
    expect(exported.code, exported.stderr).toBe(0);
    const job = JSON.parse(lines(exported.stdout).at(-1)!);
    expect(job).toMatchObject({ type: 'export', status: 'completed', format: 'csv', failed: 0 });

    const target = join(dir, 'export.csv');
    const saved = await cli('jobs', 'download', job.id, '-o', target);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toMatch(new RegExp(`saved ${target} \\([\\d,]+ bytes\\)`));
    const rows = readFileSync(target, 'utf8').trim().split('\n');
    expect(rows[0]).toMatch(/^sku,title/);
    expect(rows).toHaveLength(job.total + 1);
    expect(rows.some((row) => row.startsWith('CSV-00042,'))).toBe(true);

    const stdout = await cli('jobs', 'download', job.id, '-o', '-');
    expect(stdout.stdout).toBe(readFileSync(target, 'utf8'));
  });

  it('lists, shows, and pages through failures; retries them', { timeout: 90_000 }, async () => {
    const listed = await cli('jobs', 'list', '--type', 'import');
    expect(listed.code).toBe(0);
    const table = lines(listed.stdout);
    expect(table[0]).toMatch(/^ID\s+TYPE\s+STATUS\s+PROGRESS\s+PROCESSED\s+FAILED\s+CREATED$/);
    expect(listed.stdout).toContain('⚠ completed with failures');
    const withFailures = (await json('jobs', 'list', '--status', 'completed', '--all')).value.jobs.find((j: { failed: number }) => j.failed === 6);

    const shown = await cli('jobs', 'show', withFailures.id);
    expect(shown.stdout).toMatch(/status\s+⚠ completed with failures/);
    expect(shown.stdout).toMatch(/failed\s+6/);
    expect(shown.stdout).toMatch(/failures by reason\nITEMS\s+REASON\n\s+6\s+price: must be a number ≥ 0/);

    const page = await cli('jobs', 'failures', withFailures.id, '--limit', '4');
    expect(lines(page.stdout)[0]).toMatch(/^INDEX\s+LINE\s+SKU\s+REASON$/);
    expect(lines(page.stdout)[1]).toMatch(/^0\s+–\s+JL-00000\s+price: must be a number ≥ 0$/);
    expect(page.stdout).toMatch(/more: merchantops jobs failures \S+ --cursor \S+ \(or --all\)/);
    const all = await json('jobs', 'failures', withFailures.id, '--all');
    expect(all.value.failures.map((f: { index: number }) => f.index)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(all.value.nextCursor).toBeNull();

    const failedRows = join(dir, 'failed.csv');
    expect((await cli('jobs', 'download', withFailures.id, '--failures', '-o', failedRows)).code).toBe(0);
    expect(readFileSync(failedRows, 'utf8')).toContain('_reason');

    // the retried items are still invalid: completed with failures again
    const retried = await cli('jobs', 'retry', withFailures.id, '--watch');
    expect(retried.code, retried.stderr).toBe(2);
    expect(retried.stdout).toContain('0 of 6 items succeeded, 6 failed');
  });

  it('cancels a running job; watching it then exits 1', { timeout: 60_000 }, async () => {
    const created = await ctx.api.post('/v1/jobs', { type: 'import', items: products(3000, 0, 'BIG') });
    const cancelled = await cli('jobs', 'cancel', created.json.id);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toMatch(/import job \S+ ⊘ cancelled: [\d,]+ of 3,000 items processed/);
    const watched = await cli('jobs', 'watch', created.json.id);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toContain('⊘ cancelled');
    const again = await cli('jobs', 'cancel', created.json.id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/has already finished \(cancelled\) \(HTTP 409 conflict\)/);
  });
});
