import type { Deps } from '@merchantops/core/deps';
import type { JobStore } from '@merchantops/core/ports';

/**
 * Fault injection into the real path: the returned store is the real one
 * (same DynamoDB tables) with one method replaced.
 */
export function overrideJobs(deps: Deps, overrides: Partial<JobStore>): Deps {
  return { ...deps, jobs: Object.assign(Object.create(deps.jobs), overrides) as JobStore };
}

/** Runs `fault` the first time each key is seen, then lets calls through. */
export function once() {
  const seen = new Set<string>();
  return (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}
