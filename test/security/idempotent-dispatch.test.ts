/**
 * A repeated Idempotency-Key returns the job it created and never sends its
 * chunks again, however many repeats race the first request (issue: 20 racing
 * requests once sent the chunks 5 times).
 */
import { describe, expect, it } from 'vitest';
import { overrideDispatcher } from '../support/faults';
import { products, useStack, waitForJob } from '../support/stack';

describe('racing repeats of one Idempotency-Key', () => {
  const sent = new Map<string, number>();
  const ctx = useStack({
    apiDeps: (deps) =>
      overrideDispatcher(deps, {
        async send(chunks) {
          // Slow, so the repeats arrive while the first dispatch is still going on.
          await new Promise((resolve) => setTimeout(resolve, 300));
          for (const chunk of chunks) sent.set(`${chunk.jobId}#${chunk.n}`, (sent.get(`${chunk.jobId}#${chunk.n}`) ?? 0) + 1);
          return deps.dispatcher.send(chunks);
        },
      }),
  });

  it('creates one job and sends each of its chunks exactly once', async () => {
    const body = { type: 'import', items: products(100, 0, 'RACE') };
    const headers = { 'idempotency-key': 'race-20' };
    const responses = await Promise.all(Array.from({ length: 20 }, () => ctx.api.post('/v1/jobs', body, headers)));
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    const other = responses.filter((r) => r.status !== 200 && r.status !== 202);
    expect(other.map((r) => [r.status, r.json]), 'statuses').toEqual([]);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    const ids = new Set(responses.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(await waitForJob(ctx.api, id)).toMatchObject({ status: 'completed', total: 100, processed: 100 });
    // 100 items in chunks of 25: four chunks, each sent once.
    expect([...sent.entries()].filter(([key]) => key.startsWith(id)).map(([, count]) => count)).toEqual([1, 1, 1, 1]);
  });
});
