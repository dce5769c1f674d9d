import type { Deps } from '@merchantops/core/deps';

/**
 * Worker deps whose imports take `ms` per chunk, one chunk at a time across
 * the whole stack (however the queue batches them), so a job's progress can
 * be watched climbing, and a job can be caught running.
 */
export function slowImports(ms: number) {
  return (deps: Deps): Deps => {
    let last: Promise<unknown> = Promise.resolve();
    return {
      ...deps,
      processors: {
        ...deps.processors,
        import: (chunk, d) => {
          const run = last.then(() => new Promise((resolve) => setTimeout(resolve, ms))).then(() => deps.processors.import(chunk, d));
          last = run.catch(() => undefined);
          return run;
        },
      },
    };
  };
}
