/**
 * Messages of the plans queue: long-running work on a whole job, done by the
 * planner function (15-minute timeout) rather than a chunk worker.
 *   plan     — read the job's source and dispatch its chunks
 *   finalize — join an export's parts into its file and complete the job
 *   redrive  — send again the chunks that never committed (from the sweeper)
 */
export const TASK_KINDS = ['plan', 'finalize', 'redrive'] as const;
export type JobTask = { kind: (typeof TASK_KINDS)[number]; jobId: string };

export const encodeTask = (task: JobTask) => JSON.stringify({ [task.kind]: task.jobId });

export function decodeTask(body: string): JobTask {
  const value = JSON.parse(body) as Record<string, unknown>;
  const kind = TASK_KINDS.find((name) => typeof value?.[name] === 'string');
  if (!kind) throw new Error('not a plan, finalize or redrive request');
  return { kind, jobId: value[kind] as string };
}
