import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The slowest suites, slowest first. Vitest orders files by their last
 * durations, but a fresh clone (CI) has none and orders them by size, which
 * would start the 100,000-row import near the end and leave one worker
 * running it alone.
 */
const slowestFirst = [
  'test/reliability/every-job-ends.test.ts',
  'test/e2e/large-import.test.ts',
  'test/reliability/crash-restart.test.ts',
  'test/fair-share/fair-share.test.ts',
  'test/cli/cli.test.ts',
  'test/reliability/leftovers.test.ts',
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
