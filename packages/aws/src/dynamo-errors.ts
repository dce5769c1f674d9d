/** The per-action codes DynamoDB gives when a transaction is cancelled. */
export function cancellationCodes(error: unknown): string[] | undefined {
  const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

export const isConditionFailed = (error: unknown) =>
  (error as { name?: string })?.name === 'ConditionalCheckFailedException';

/**
 * Concurrent transactions on one job record conflict (TransactionConflict);
 * the transaction applied nothing, so it is retried here with jittered backoff.
 */
export async function retryConflicts<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const codes = cancellationCodes(error);
      const conflict =
        (codes?.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed')) ||
        (error as { name?: string })?.name === 'TransactionConflictException';
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}
