import type { Deps } from '@merchantops/core/deps';

/**
 * Fault injection into the real path: the real adapter (same tables, same
 * queues) with some methods replaced. The original stays reachable as the
 * prototype, so an override can call through to it.
 */
export function override<T extends object>(real: T, overrides: Partial<T>): T {
  return Object.assign(Object.create(real), overrides) as T;
}

export const overrideJobs = (deps: Deps, overrides: Partial<Deps['jobs']>): Deps => ({
  ...deps,
  jobs: override(deps.jobs, overrides),
});

export const overrideDispatcher = (deps: Deps, overrides: Partial<Deps['dispatcher']>): Deps => ({
  ...deps,
  dispatcher: override(deps.dispatcher, overrides),
});

/** True the first time each key is seen, then false. */
export function once() {
  const seen = new Set<string>();
  return (key: string) => {
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}
