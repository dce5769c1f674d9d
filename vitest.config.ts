import { defineConfig } from 'vitest/config';
import { SlowestFirstSequencer } from './test/support/sequencer.ts';

/**
 * Two layers (README "Testing"):
 * - unit: tests beside their modules (packages/*\/src/**\/*.test.ts) and the pure
 *   tests under test/ (`pure`), on the in-memory ports: no Java, no emulators.
 * - emulators: everything that crosses a real service (end-to-end, faults,
 *   browser, CLI, infra), on one DynamoDB Local and one SQS/S3 emulator for
 *   the whole run; each test file gets its own tables and queues (test/support/stack.ts).
 */
/** Tests under test/ that need no service: they run in the unit layer. */
const pure = ['test/unit/**/*.test.ts', 'test/types/**/*.test.ts', 'test/bench/write-units.test.ts', 'test/cli/progress.test.ts', 'test/observability/telemetry-guards.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    // Test files share a worker's modules instead of importing the AWS SDK, Hono and the stack again
    // for each file (about 20 s of a 2-core run): every file starts its own stack with its own tables
    // and queues, and what a test stubs is put back (stubbed variables by vitest itself).
    isolate: false,
    unstubEnvs: true,
    unstubGlobals: true,
    sequence: { sequencer: SlowestFirstSequencer },
    env: { LOG_LEVEL: 'error' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', ...pure],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'emulators',
          include: ['test/**/*.test.ts'],
          exclude: pure,
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
