/** An error that belongs to the caller: carried as a value with a code to the HTTP edge. */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'conflict'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    /** Sent as Retry-After (seconds), e.g. with a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string) => new AppError('bad_request', message, 400);
export const notFound = (message: string) => new AppError('not_found', message, 404);
export const tooLarge = (message: string) => new AppError('payload_too_large', message, 413);

/** An error as one line for logs and failure reasons: "<Name>: <message>" ("Error" is left out). */
export const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
