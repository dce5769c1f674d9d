/** The whole benchmark as a function: used by `npm run bench` (bench/run.ts) and the smoke test. */
import { execSync } from 'node:child_process';
import os from 'node:os';
import { runCsv } from './csv';
import type { Endpoints, RunOptions, RunResult } from './measure';
import { runPerItem } from './per-item/run';
import { runProject } from './project';
import { median, summarize, type BenchReport } from './report';
import { makeWorkload } from './workload';

export interface BenchOptions {
  items: number;
  /** Undefined: the project's default. */
  chunkSize?: number;
  concurrency: number;
  pairs: number;
  invalidPercent: number;
  seed: number;
  /** 0: no CSV measurement. */
  csvRows: number;
  visibilityTimeoutSeconds?: number;
  /** false: the project runs without its fair-share event source (--no-fair-share). */
  fairShare?: boolean;
  log?: (line: string) => void;
}

export const DEFAULTS = { items: 5000, concurrency: 2, pairs: 3, invalidPercent: 5, seed: 42, csvRows: 100_000 };

export async function runBenchmark(endpoints: Endpoints, options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => undefined);
  const workload = makeWorkload(options.items, options.invalidPercent, options.seed);
  const runOptions: RunOptions = {
    chunkSize: options.chunkSize,
    concurrency: options.concurrency,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
    fairShare: options.fairShare,
  };
  const stamp = Date.now().toString(36);
  const project: RunResult[] = [];
  const perItem: RunResult[] = [];
  const ratios: number[] = [];
  let chunkSize = options.chunkSize;
  for (let pair = 0; pair < options.pairs; pair++) {
    // Alternate which design goes first, so warm-up and drift do not favour one.
    const order = pair % 2 === 0 ? (['project', 'per-item'] as const) : (['per-item', 'project'] as const);
    const results: Partial<Record<'project' | 'per-item', RunResult>> = {};
    for (const design of order) {
      const runId = `${stamp}${pair}${design === 'project' ? 'p' : 'i'}`;
      const result =
        design === 'project'
          ? await runProject(endpoints, workload, runOptions, runId)
          : await runPerItem(endpoints, workload, runOptions, runId);
      log(`pair ${pair + 1}/${options.pairs} ${design}: ${result.itemsPerSecond.toFixed(0)} items/s in ${result.seconds.toFixed(2)} s, counters ${result.counters.exact ? 'exact' : `WRONG ${JSON.stringify(result.counters)}`}`);
      results[design] = result;
    }
    project.push(results.project!);
    perItem.push(results['per-item']!);
    ratios.push(results.project!.itemsPerSecond / results['per-item']!.itemsPerSecond);
  }
  // What the stack actually used (its default when --chunk-size is not given).
  chunkSize ??= project[0]?.chunkSize;
  let csv: BenchReport['csv'];
  if (options.csvRows > 0) {
    log(`uploaded CSV: ${options.csvRows} rows…`);
    // A failed CSV measurement is reported, not allowed to lose the pairs measured before it.
    csv = await runCsv(endpoints, options.csvRows, options.invalidPercent, options.seed, runOptions, `${stamp}csv`).catch(
      (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
    );
  }
  return {
    settings: {
      items: options.items,
      invalidPercent: options.invalidPercent,
      seed: options.seed,
      chunkSize: chunkSize ?? NaN,
      concurrency: options.concurrency,
      pairs: options.pairs,
    },
    machine: machine(),
    commit: commit(),
    project: summarize(project),
    perItem: summarize(perItem),
    ratios,
    ratio: median(ratios),
    csv,
  };
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

function commit(): string {
  try {
    const hash = execSync('git rev-parse --short HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain --untracked-files=no', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${hash} + uncommitted changes` : hash;
  } catch {
    return 'unknown';
  }
}
