import type { Deps } from '@merchantops/core/deps';
import { sweep, type SweeperSettings, type SweepReport } from '@merchantops/core/jobs/sweep';
import { sweeper } from '@merchantops/core/resources/queues';
import { log } from '../shared/log';

/** The scheduled sweeper: re-drives stalled jobs and fails the ones that stay stuck. */
export const createSweeperHandler =
  (deps: Deps, settings: SweeperSettings = sweeper) =>
  async (options: { everything?: boolean } = {}): Promise<SweepReport> => {
    const report = await sweep({ ...deps, ...settings }, options);
    log(report.stalled.length || report.failed.length ? 'warn' : 'info', 'sweep finished', {
      active: report.active,
      busy: report.busy,
      stalled: report.stalled.map((job) => job.id),
      failed: report.failed.map((job) => job.id),
    });
    return report;
  };

/** STALL_AFTER_SECONDS and MAX_REDRIVES override the defaults in resources/queues.ts. */
export function sweeperSettings(env: NodeJS.ProcessEnv = process.env): SweeperSettings {
  const read = (name: string, fallback: number) => {
    const value = Number(env[name] || fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${env[name]}"`);
    return value;
  };
  return { stallAfterSeconds: read('STALL_AFTER_SECONDS', sweeper.stallAfterSeconds), maxRedrives: read('MAX_REDRIVES', sweeper.maxRedrives) };
}
