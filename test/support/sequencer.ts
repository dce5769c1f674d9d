import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest suites first, those that mostly wait (timers, polls, retries,
 * a browser) between those that keep the CPU busy, so that two workers
 * rarely wait at the same time. Vitest orders files by their last durations,
 * but a fresh clone (CI) has none and orders them by size, which would start
 * the 100,000-row import near the end and leave one worker running it alone.
 */
const slowestFirst = [
  'test/e2e/large-import.test.ts', // busy
  'test/types/type-check.test.ts', // busy, one core: early, or it would end the run alone
  'test/reliability/every-job-ends.test.ts', // waits
  'test/reliability/crash-restart.test.ts',
  'test/web/jobs-page.test.ts', // waits
  'test/fair-share/fair-share.test.ts', // busy
  'test/e2e/faults.test.ts', // waits
  // Short busy suites here, so the waiting ones around them do not wait side by side.
  'test/bench/bench-smoke.test.ts', // busy
  'test/e2e/job-store.test.ts', // busy
  'test/security/callbacks.test.ts', // busy
  'test/cli/cli.test.ts', // waits (slowed imports, child processes)
  'test/e2e/enrich-export.test.ts', // busy
  'test/e2e/webhooks.test.ts', // waits
  'test/reliability/leftovers.test.ts',
  'test/local/start.test.ts',
  'test/e2e/retry-cancel.test.ts',
];

/** Vitest's order, with the suites above moved to the front. */
export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = slowestFirst.findIndex((suite) => file.moduleId.endsWith(suite));
      return at < 0 ? slowestFirst.length : at;
    };
    return ordered.map((file, at) => ({ file, at })).sort((a, b) => rank(a.file) - rank(b.file) || a.at - b.at).map(({ file }) => file);
  }
}
