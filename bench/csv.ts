/** A large uploaded CSV through the project: presigned PUT, then an import job over the upload. */
import { adminClients, checkCounters, countProducts, sampleMemory, sleep, type Endpoints, type RunOptions } from './measure';
import { openProject, waitForJobs, withoutPolls } from './project';
import { requestCount, type CsvResult } from './report';
import { makeWorkload, toCsv } from './workload';

export async function runCsv(
  endpoints: Endpoints,
  rows: number,
  invalidPercent: number,
  seed: number,
  options: RunOptions,
  runId: string,
): Promise<CsvResult> {
  const workload = makeWorkload(rows, invalidPercent, seed);
  let csv: string | undefined = toCsv(workload.items);
  const megabytes = Buffer.byteLength(csv) / 2 ** 20;
  const session = await openProject(endpoints, options, runId);
  const admin = adminClients(endpoints);
  try {
    const upload = await session.call('POST', '/v1/uploads', { filename: 'bench.csv' });
    if (upload.status !== 201) throw new Error(`benchmark: POST /v1/uploads answered ${upload.status}`);
    const put = await fetch(upload.json.url, { method: 'PUT', headers: upload.json.headers, body: csv });
    if (!put.ok) throw new Error(`benchmark: upload PUT answered ${put.status}: ${await put.text()}`);
    // The file is in the emulator now; the benchmark's copy should not count as the pipeline's memory.
    csv = undefined;
    workload.items.length = 0;
    await sleep(200);
    session.meter.reset();
    const memory = sampleMemory();
    const started = performance.now();
    const created = await session.call('POST', '/v1/jobs', { type: 'import', source: { uploadId: upload.json.uploadId } });
    if (created.status !== 202) throw new Error(`benchmark: POST /v1/jobs answered ${created.status}: ${JSON.stringify(created.json)}`);
    const { jobs, polls } = await waitForJobs(session, [created.json.id], 1_800_000);
    const seconds = (performance.now() - started) / 1000;
    const peaks = memory.stop();
    const counted = await withoutPolls(session, created.json.id, polls);
    const products = await countProducts(admin.dynamo, session.stack.resources.productsTable, session.tenantId);
    const counters = checkCounters(
      { processed: jobs[0].processed, failed: jobs[0].failed, products },
      { processed: rows, failed: workload.invalid, products: workload.products },
    );
    return {
      rows,
      megabytes,
      seconds,
      rowsPerSecond: rows / seconds,
      requestsPerRow: requestCount({ ops: counted.ops } as never) / rows,
      ...peaks,
      exact: counters.exact,
    };
  } finally {
    await session.stop();
    for (const client of Object.values(admin)) client.destroy();
  }
}
