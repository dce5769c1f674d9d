/**
 * This project, measured through its public surfaces only: the local stack
 * (`startStack`), `POST /v1/jobs` with inline items, and `GET /v1/jobs/{id}`
 * polled until the job completes.
 */
import { startStack, type LocalStack } from '@merchantops/local/stack';
import { Meter, type MeterMark, type OpCount } from './meter';
import {
  adminClients,
  checkCounters,
  countProducts,
  meteredClients,
  pollUntil,
  sampleMemory,
  sleep,
  type Endpoints,
  type RunOptions,
  type RunResult,
} from './measure';
import type { Workload } from './workload';

/** The API takes at most this many inline items per job. */
export const MAX_INLINE_ITEMS = 10_000;
const CALIBRATION_POLLS = 4;

export interface ProjectSession {
  stack: LocalStack;
  meter: Meter;
  tenantId: string;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/** A fresh stack (own tables and queues) with metered clients, and a tenant with its API key. */
export async function openProject(endpoints: Endpoints, options: RunOptions, runId: string): Promise<ProjectSession> {
  const meter = new Meter();
  const errors: unknown[] = [];
  const stack = await startStack({
    ...endpoints,
    prefix: `bench${runId}`,
    chunkSize: options.chunkSize,
    workerConcurrency: options.concurrency,
    fairShare: options.fairShare,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds,
    clients: meteredClients(endpoints, meter),
    onError: (error) => errors.push(error),
  });
  const tenantId = `bench-${runId}`;
  const key = await stack.createApiKey(tenantId);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(stack.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  return { stack, meter, tenantId, call, stop: () => stack.stop() };
}

/** Polls the jobs until all completed; any other end is an error. */
export async function waitForJobs(session: ProjectSession, ids: string[], timeoutMs: number) {
  let polls = 0;
  const jobs = [];
  for (const id of ids) {
    const { value, polls: n } = await pollUntil(
      async () => {
        const { json } = await session.call('GET', `/v1/jobs/${id}`);
        if (json?.status === 'failed' || json?.status === 'cancelled') {
          throw new Error(`benchmark: job ${id} ended ${json.status}: ${json.error ?? ''}`);
        }
        return json?.status === 'completed' ? json : undefined;
      },
      `job ${id} to complete`,
      timeoutMs,
    );
    polls += n;
    jobs.push(value);
  }
  return { jobs, polls };
}

/**
 * Takes the benchmark's own status polls out of the counts: a few more polls
 * after the run price one poll, and `polls` of them are subtracted.
 */
export async function withoutPolls(session: ProjectSession, jobId: string, polls: number) {
  const { meter } = session;
  // Late acknowledgements of the last chunks belong to the run.
  await sleep(300);
  const before = meter.mark();
  for (let i = 0; i < CALIBRATION_POLLS; i++) await session.call('GET', `/v1/jobs/${jobId}`);
  const after = meter.mark();
  meter.stop();
  const allPolls = polls + CALIBRATION_POLLS;
  const perPoll = dynamoDelta(before, after, CALIBRATION_POLLS);
  const ops: Record<string, OpCount> = structuredClone(after.ops);
  for (const [name, each] of Object.entries(perPoll)) {
    const entry = ops[name];
    entry.count -= each * allPolls;
    entry.billed -= each * allPolls;
    entry.ms *= Math.max(0, entry.count) / (entry.count + each * allPolls);
    if (entry.count <= 1e-9) delete ops[name];
  }
  return {
    ops,
    requestsEach: Object.values(perPoll).reduce((a, b) => a + b, 0),
    pollReadUnits: (meter.readUnitsBetween(before, after) / CALIBRATION_POLLS) * allPolls,
    pollLocalReadUnits: ((after.local.read - before.local.read) / CALIBRATION_POLLS) * allPolls,
    local: after.local,
  };
}

function dynamoDelta(before: MeterMark, after: MeterMark, times: number): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, entry] of Object.entries(after.ops)) {
    if (!name.startsWith('DynamoDB ')) continue;
    const n = entry.count - (before.ops[name]?.count ?? 0);
    if (n > 0) delta[name] = n / times;
  }
  return delta;
}

/** One import of the workload through the API (split into jobs of ≤ 10,000 items), timed and counted. */
export async function runProject(
  endpoints: Endpoints,
  workload: Workload,
  options: RunOptions,
  runId: string,
): Promise<RunResult> {
  const session = await openProject(endpoints, options, runId);
  const admin = adminClients(endpoints);
  try {
    await sleep(200);
    session.meter.reset();
    const memory = sampleMemory();
    const started = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < workload.items.length; i += MAX_INLINE_ITEMS) {
      const created = await session.call('POST', '/v1/jobs', {
        type: 'import',
        items: workload.items.slice(i, i + MAX_INLINE_ITEMS),
      });
      if (created.status !== 202 && created.status !== 201) {
        throw new Error(`benchmark: POST /v1/jobs answered ${created.status}: ${JSON.stringify(created.json)}`);
      }
      ids.push(created.json.id);
    }
    const { jobs, polls } = await waitForJobs(session, ids, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const peaks = memory.stop();

    const counted = await withoutPolls(session, ids[0], polls);
    const aws = await session.meter.capacityByAwsRules(admin.dynamo);
    aws.read -= counted.pollReadUnits;
    const local = { ...counted.local, read: counted.local.read - counted.pollLocalReadUnits };
    const products = await countProducts(admin.dynamo, session.stack.resources.productsTable, session.tenantId);
    const sum = (field: 'processed' | 'failed') => jobs.reduce((total, job) => total + job[field], 0);
    return {
      design: 'project',
      chunkSize: session.stack.deps.chunkSize,
      items: workload.items.length,
      seconds,
      itemsPerSecond: workload.items.length / seconds,
      ops: counted.ops,
      polls: { count: polls, requestsEach: counted.requestsEach },
      aws,
      local,
      ...peaks,
      counters: checkCounters(
        { processed: sum('processed'), failed: sum('failed'), products },
        { processed: workload.items.length, failed: workload.invalid, products: workload.products },
      ),
    };
  } finally {
    await session.stop();
    admin.dynamo.destroy();
    admin.sqs.destroy();
    admin.s3.destroy();
  }
}
