/**
 * The observer and the writers on their own: a broken observer never fails
 * the work, a field that would carry payload or credentials is withheld, and a
 * value CloudWatch would reject is never written.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Job } from '@merchantops/core/jobs/job';
import { metrics } from '@merchantops/core/resources/monitoring';
import { jobTelemetry } from '@merchantops/functions/shared/job-metrics';
import { log, withLogContext } from '@merchantops/functions/shared/log';
import { emitMetrics } from '@merchantops/functions/shared/metrics';
import { captureStdout, emfWith, isEmf, type Capture } from './capture';

const job = (fields: Partial<Job> = {}): Job =>
  ({
    id: '5f0c7a52-2a4d-4f58-9a55-1f3c8e0b9d11',
    tenantId: 'acme',
    type: 'export',
    status: 'completed',
    total: 4,
    processed: 4,
    failed: 1,
    chunkCount: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:09.500Z',
    completedAt: '2026-01-01T00:00:09.500Z',
    ...fields,
  }) as Job;

let out: Capture;
beforeEach(() => {
  vi.stubEnv('LOG_LEVEL', 'info');
  out = captureStdout();
});
afterEach(() => {
  out.stop();
  vi.unstubAllEnvs();
});

describe('the job observer', () => {
  it('never throws, whatever it is given or wherever its records go', () => {
    const failing = jobTelemetry({
      metricSink: () => {
        throw new Error('sink down');
      },
    });
    const poisoned = new Proxy(job(), {
      get: (target, name) => {
        if (name === 'id') throw new Error('unreadable job');
        return target[name as keyof Job];
      },
    });
    expect(() => failing.jobCreated(job())).not.toThrow();
    expect(() => failing.jobFinished(job())).not.toThrow();
    expect(() => failing.jobCreated(poisoned)).not.toThrow();
    expect(() =>
      failing.chunkFinished({ job: poisoned, chunk: 0, outcome: 'committed', processed: 1, failed: 0, commitMs: 1, exhausted: false }),
    ).not.toThrow();
    expect(() => failing.jobFinished(undefined as unknown as Job)).not.toThrow();
    const warnings = out.lines().filter((l) => l.message === 'job telemetry failed');
    expect(warnings.map((w) => w.event)).toEqual(['jobCreated', 'chunkFinished', 'jobFinished']);
    expect(warnings[0].error).toBe('unreadable job');
  });

  it('keeps working when stdout itself refuses to write', () => {
    out.stop();
    const refuse = () => {
      throw new Error('EPIPE');
    };
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(refuse), vi.spyOn(process.stderr, 'write').mockImplementation(refuse)];
    try {
      const telemetry = jobTelemetry();
      expect(() => telemetry.jobCreated(job())).not.toThrow();
      expect(() => telemetry.jobFinished(job())).not.toThrow();
      expect(() => log('error', 'x')).not.toThrow();
      expect(() => log('info', 'x')).not.toThrow();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      out = captureStdout();
    }
  });

  it('records a completed job with its duration, and a failed or cancelled one without', () => {
    const records: Record<string, any>[] = [];
    const telemetry = jobTelemetry({ metricSink: (record) => records.push(record) });
    telemetry.jobFinished(job());
    telemetry.jobFinished(job({ status: 'failed', error: 'failure rate 60 % is above maxFailurePercent 50 %' }));
    telemetry.jobFinished(job({ status: 'cancelled' }));
    telemetry.jobFinished(job({ completedAt: undefined }));
    expect(records.map((r) => [r.JobsCompleted, r.JobsFailed, r.JobsCancelled, r.JobDuration])).toEqual([
      [1, undefined, undefined, 9.5],
      [undefined, 1, undefined, undefined],
      [undefined, undefined, 1, undefined],
      [1, undefined, undefined, undefined],
    ]);
    const failedLine = out.lines().find((l) => l.message === 'job failed');
    expect(failedLine).toMatchObject({ level: 'WARN', error: expect.stringMatching(/maxFailurePercent/) });
  });

  it('counts a duplicate delivery and a skipped chunk, not their items', () => {
    const records: Record<string, any>[] = [];
    const telemetry = jobTelemetry({ metricSink: (record) => records.push(record) });
    const base = { job: job(), chunk: 3, processed: 0, failed: 0, exhausted: false };
    telemetry.chunkFinished({ ...base, outcome: 'duplicate', commitMs: 12.5 });
    telemetry.chunkFinished({ ...base, outcome: 'skipped', commitMs: 0 });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ DuplicateDeliveriesSkipped: 1, ChunkCommitLatency: 12.5, chunk: 3, outcome: 'duplicate' });
    expect(records[1]).toMatchObject({ ChunksSkipped: 1, outcome: 'skipped' });
    for (const record of records) {
      expect(record.ItemsProcessed).toBeUndefined();
      expect(record.ItemsFailed).toBeUndefined();
    }
  });
});

describe('log lines', () => {
  it('withhold fields that would carry items or credentials', () => {
    log('info', 'careless caller', {
      items: [{ title: 'Velvet Heron Lamp' }],
      item: { title: 'Velvet Heron Lamp' },
      authorization: 'Bearer mo_secret',
      apiKey: 'mo_secret',
      jobId: 'j-1',
    });
    const [line] = out.lines();
    expect(line).toMatchObject({ items: '[withheld]', item: '[withheld]', authorization: '[withheld]', apiKey: '[withheld]', jobId: 'j-1' });
    expect(out.text()).not.toContain('Heron');
    expect(out.text()).not.toContain('mo_secret');
  });

  it('carry the fields of the log context across awaits, inner fields over outer ones', async () => {
    await withLogContext({ requestId: 'r-1', chunk: 1 }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await withLogContext({ chunk: 2 }, async () => {
        await Promise.resolve();
        log('info', 'inner');
      });
      log('info', 'outer');
    });
    log('info', 'outside');
    expect(out.lines().map((l) => [l.message, l.requestId, l.chunk])).toEqual([
      ['inner', 'r-1', 2],
      ['outer', 'r-1', 1],
      ['outside', undefined, undefined],
    ]);
  });

  it('respect LOG_LEVEL', () => {
    vi.stubEnv('LOG_LEVEL', 'warn');
    log('info', 'quiet');
    log('warn', 'loud');
    expect(out.lines().map((l) => l.message)).toEqual(['loud']);
  });

  it('withhold those fields at any depth', () => {
    log('warn', 'nested careless caller', { job: { id: 'j-2', items: ['Velvet Heron Lamp'] }, request: { body: '{"apiKey":"mo_secret"}' } });
    const [line] = out.lines();
    expect(line).toMatchObject({ level: 'WARN', job: { id: 'j-2', items: '[withheld]' }, request: { body: '[withheld]' } });
    expect(out.text()).not.toContain('Heron');
    expect(out.text()).not.toContain('mo_secret');
  });

  it('keep a line whose fields JSON cannot encode: a BigInt as its digits, a cycle cut', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    log('info', 'odd', { big: 10n, cycle });
    expect(out.lines()).toEqual([expect.objectContaining({ message: 'odd', big: '10', cycle: { name: 'loop' } })]);
  });
});

describe('EMF records', () => {
  it('leave out values that are not finite numbers, and are not written when none is left', () => {
    emitMetrics([[metrics.itemsProcessed, Number.NaN], [metrics.itemsFailed, 2]], 'import');
    emitMetrics([[metrics.chunkCommitLatency, Number.POSITIVE_INFINITY]], 'import');
    const records = out.lines().filter(isEmf);
    expect(records).toHaveLength(1);
    expect(records[0]._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'ItemsFailed', Unit: 'Count' }]);
    expect(records[0].ItemsProcessed).toBeUndefined();
    expect(emfWith(records, 'ItemsFailed')[0].ItemsFailed).toBe(2);
  });

  it('are recorded under the STAGE of the environment, "local" without one', () => {
    vi.stubEnv('STAGE', '');
    emitMetrics([[metrics.jobsCreated, 1]], 'import');
    vi.stubEnv('STAGE', 'qa');
    emitMetrics([[metrics.jobsCreated, 1]], 'import');
    expect(out.lines().map((l) => l.Stage)).toEqual(['local', 'qa']);
  });
});
