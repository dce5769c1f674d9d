import { describe, expect, it } from 'vitest';
import { jobView, progressOf } from '@merchantops/core/jobs/progress';
import { isFinished } from '@merchantops/core/jobs/status';
import { ACTIVE_STATUSES, MOVES } from '@merchantops/core/jobs/lifecycle';
import type { Job } from '@merchantops/core/jobs/job';

describe('progressOf', () => {
  it('is a percentage of finished items', () => {
    expect(progressOf(0, 200)).toBe(0);
    expect(progressOf(50, 200)).toBe(25);
    expect(progressOf(1, 3)).toBe(33.33);
  });

  it('is 100 only when every item has finished', () => {
    expect(progressOf(9999, 10000)).toBe(99.99);
    expect(progressOf(99_999, 100_000)).toBeLessThan(100);
    expect(progressOf(10000, 10000)).toBe(100);
  });

  it('is 100 for an empty job', () => {
    expect(progressOf(0, 0)).toBe(100);
  });
});

describe('jobView', () => {
  it('derives succeeded and progress from the counters', () => {
    const job: Job = {
      id: 'j',
      tenantId: 't',
      type: 'import',
      status: 'running',
      total: 40,
      processed: 10,
      failed: 3,
      chunkCount: 2,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:01.000Z',
      source: { kind: 'items' },
    };
    const view = jobView(job);
    expect(view).toMatchObject({ succeeded: 7, progress: 25, completedAt: null });
    expect(view).not.toHaveProperty('tenantId');
  });
});

describe('status transitions', () => {
  it('moves forward only: no move starts from a finished status, and every finish is final', () => {
    for (const [name, move] of Object.entries(MOVES)) {
      expect(move.from.some((status) => isFinished(status)), name).toBe(false);
      expect(move.from as readonly string[], name).not.toContain(move.to);
    }
    expect([MOVES.complete.to, MOVES.cancel.to, MOVES.fail.to].every(isFinished)).toBe(true);
    expect(isFinished(MOVES.run.to)).toBe(false);
    expect(ACTIVE_STATUSES).toEqual(['queued', 'running']);
  });

  it('treats completed, cancelled and failed as finished', () => {
    expect(['queued', 'running', 'completed', 'cancelled', 'failed'].filter((s) => isFinished(s as never))).toEqual([
      'completed',
      'cancelled',
      'failed',
    ]);
  });
});
