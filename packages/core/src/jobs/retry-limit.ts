import { AppError } from '../shared/errors';

/** Retry jobs one job may have (its `retries` list is bounded with the job record). */
export const MAX_RETRIES = 25;

/** The answer to a retry of a job that has had its `MAX_RETRIES` retries. */
export const tooManyRetries = (jobId: string) =>
  new AppError('conflict', `job ${jobId} has been retried ${MAX_RETRIES} times: retry its latest retry instead`, 409);
