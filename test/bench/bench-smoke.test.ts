import { describe, expect, inject, it } from 'vitest';
import { runBenchmark } from '../../bench/bench';
import { formatReport } from '../../bench/report';

// A tiny run of the real benchmark code on the shared emulators: checks the
// counting and the table, never the speed (a benchmark is not a timed test).
describe('benchmark (smoke run)', () => {
  it('measures both designs on the same items and finds the counters exact', async () => {
    const report = await runBenchmark(
      { dynamoEndpoint: inject('dynamoEndpoint'), sqsEndpoint: inject('sqsEndpoint') },
      { items: 200, concurrency: 2, pairs: 1, invalidPercent: 5, seed: 7, csvRows: 0, chunkSize: 25, visibilityTimeoutSeconds: 5 },
    );
    for (const design of [report.project, report.perItem]) {
      expect(design.exact).toBe(true);
      expect(design.requestsPerItem).toBeGreaterThan(0);
      expect(design.itemsPerSecond).toBeGreaterThan(0);
      expect(design.awsWrite).toBeGreaterThanOrEqual(0.95);
      expect(design.peakRssMb).toBeGreaterThan(0);
    }
    // One message per item, in SendMessageBatch calls of 10.
    expect(report.perItem.ops['SQS SendMessageBatch']).toBeCloseTo(0.1, 5);
    // Per item: the product put and Powertools' in-progress record; the counter ADD and the completed record.
    expect(report.perItem.ops['DynamoDB PutItem']).toBeGreaterThanOrEqual(1.9);
    expect(report.perItem.ops['DynamoDB UpdateItem']).toBeGreaterThanOrEqual(2);
    // Chunks, not items, travel: far fewer requests per item than one message per item.
    expect(report.project.requestsPerItem).toBeLessThan(report.perItem.requestsPerItem);
    expect(report.settings.chunkSize).toBe(25);

    const table = formatReport(report);
    expect(table).toMatch(/items\/s \(median\)/);
    expect(table).toMatch(/counters exact \(processed, failed, products\)\s+yes \(1\/1\)\s+yes \(1\/1\)/);
  });
});
