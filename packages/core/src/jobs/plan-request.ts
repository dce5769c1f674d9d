/**
 * Messages of the plans queue: long-running work on a whole job, done by the
 * planner function (15-minute timeout) rather than a chunk worker.
 *   plan     — read the job's source and dispatch its chunks
 *   finalize — join an export's parts into its file and complete the job
 */
export type JobTask = { kind: 'plan' | 'finalize'; jobId: string };

export const encodeTask = (task: JobTask) => JSON.stringify({ [task.kind]: task.jobId });

export function decodeTask(body: string): JobTask {
  const value = JSON.parse(body) as { plan?: unknown; finalize?: unknown };
  if (typeof value?.plan === 'string') return { kind: 'plan', jobId: value.plan };
  if (typeof value?.finalize === 'string') return { kind: 'finalize', jobId: value.finalize };
  throw new Error('not a plan or finalize request');
}
