import { describe, expect, it } from 'vitest';
import { jobView, waitingOf, WAITING_AFTER_SECONDS } from './progress';
import type { Job } from './job';

const now = new Date('2026-12-01T12:00:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const job = (fields: Partial<Job>): Job => ({
  id: '00000000-0000-4000-8000-000000000000',
  tenantId: 'acme',
  type: 'import',
  status: 'running',
  total: 100,
  processed: 25,
  failed: 0,
  chunkCount: 4,
  createdAt: ago(60),
  updatedAt: ago(WAITING_AFTER_SECONDS + 1),
  source: { kind: 'items' },
  ...fields,
});

describe('a job waiting for its fair share', () => {
  it('is one with items left and no commit for a while', () => {
    expect(waitingOf(job({}), now)).toBe('fair-share');
    expect(waitingOf(job({ status: 'queued' }), now)).toBe('fair-share');
  });

  it('is not one that committed recently, finished, is being planned, is stalled or has nothing left', () => {
    expect(waitingOf(job({ updatedAt: ago(WAITING_AFTER_SECONDS - 1) }), now)).toBeNull();
    expect(waitingOf(job({ status: 'completed', processed: 100 }), now)).toBeNull();
    expect(waitingOf(job({ status: 'cancelled' }), now)).toBeNull();
    expect(waitingOf(job({ planning: true }), now)).toBeNull();
    expect(waitingOf(job({ stalledAt: ago(5) }), now)).toBeNull();
    expect(waitingOf(job({ processed: 100 }), now)).toBeNull();
  });

  it('shows in the API view', () => {
    expect(jobView(job({ updatedAt: ago(3600) })).waiting).toBe('fair-share');
    expect(jobView(job({ updatedAt: new Date().toISOString() })).waiting).toBeNull();
  });
});
