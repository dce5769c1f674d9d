import { describe, expect, it } from 'vitest';
import type { Job } from '@merchantops/client/client';
import { formatDuration, formatPercent, formatRate, ProgressMeter } from '@merchantops/client/progress-meter';
import { progressLine, type Terminal } from '@merchantops/cli/output';

const start = Date.parse('2026-01-01T10:00:00.000Z');
const at = (seconds: number) => start + seconds * 1000;
const job = (fields: Partial<Job>): Job =>
  ({
    id: '9b2e4c1a-5f0d-4c6e-8a57-3d2f1e0b7c44',
    type: 'import',
    status: 'running',
    total: 1000,
    processed: 0,
    failed: 0,
    succeeded: 0,
    progress: 0,
    createdAt: new Date(start).toISOString(),
    updatedAt: new Date(start).toISOString(),
    completedAt: null,
    failureSummary: [],
    retries: [],
    ...fields,
  }) as Job;

describe('throughput and ETA (shared by the Jobs page and the CLI)', () => {
  it('starts from the average, then follows the recent rate', () => {
    const meter = new ProgressMeter(10_000);
    // 200 items in the first 10 s: 20/s on average, 800 left → 40 s
    expect(meter.update(job({ processed: 200 }), at(10))).toEqual({ elapsedSeconds: 10, rate: 20, etaSeconds: 40 });
    // then 300 more in 5 s: the recent rate is 60/s
    const later = meter.update(job({ processed: 500 }), at(15));
    expect(later.rate).toBe(60);
    expect(later.etaSeconds).toBeCloseTo(500 / 60);
  });

  it('falls to 0 (no ETA) when nothing moves for the whole window', () => {
    const meter = new ProgressMeter(5_000);
    meter.update(job({ processed: 100 }), at(1));
    expect(meter.update(job({ processed: 100 }), at(7))).toMatchObject({ rate: 0, etaSeconds: null });
  });

  it('reports the average rate and the duration once finished, and no ETA while counting', () => {
    const meter = new ProgressMeter();
    const done = job({ status: 'completed', processed: 1000, progress: 100, completedAt: new Date(at(8)).toISOString() });
    expect(meter.update(done, at(60))).toEqual({ elapsedSeconds: 8, rate: 125, etaSeconds: null });
    expect(new ProgressMeter().update(job({ total: null, processed: 50, planning: true }), at(5)).etaSeconds).toBeNull();
  });

  it('formats for people', () => {
    expect([formatDuration(4.4), formatDuration(185), formatDuration(7620), formatDuration(null)]).toEqual(['4 s', '3 min 05 s', '2 h 07 min', '–']);
    expect([formatRate(1250), formatRate(2.54), formatRate(0.2), formatRate(null)]).toEqual(['1,250 items/s', '2.5 items/s', '12 items/min', '–']);
    // never 100% before every item has finished
    expect([formatPercent(99.99), formatPercent(42.57), formatPercent(100)]).toEqual(['99.9%', '42.5%', '100%']);
  });
});

describe('the CLI progress bar', () => {
  const term = (color: boolean): Terminal => ({ out: process.stdout, err: process.stderr, tty: true, color, columns: 110 });

  it('shows processed/total, failed, rate and ETA', () => {
    const line = progressLine(term(false), job({ processed: 613, failed: 12, progress: 61.3 }), { elapsedSeconds: 5, rate: 142, etaSeconds: 2.7 });
    expect(line).toBe('[██████████████████░░░░░░░░░░░░]   61.3%  613/1,000  failed 12  142 items/s  ETA 3 s');
  });

  it('colours the bar on a colour terminal: yellow once items have failed', () => {
    const line = progressLine(term(true), job({ processed: 10, failed: 1, progress: 1 }), { elapsedSeconds: 1, rate: 10, etaSeconds: 99 });
    expect(line.startsWith('\x1b[33m[')).toBe(true);
  });
});
