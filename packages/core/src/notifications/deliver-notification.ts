import type { Deps } from '../deps';
import { jobView } from '../jobs/progress';
import type { NotificationAttempt } from '../ports';
import { activeSecrets } from '../webhooks/tenant-settings';
import { signatureHeader, SIGNATURE_HEADER } from '../webhooks/signature';
import { callbackUrlProblem } from './callback-url';
import { RefusedAddressError } from './callback-sender';
import { isAllowedAddress, parseAddress } from './private-address';

/** Attempts before a callback is given up; with the backoff below that spans about 45 minutes at the default 30 s. */
export const MAX_CALLBACK_ATTEMPTS = 8;
/** A receiver gets this long to answer. */
export const CALLBACK_TIMEOUT_MS = 5000;

export type DeliverDeps = Pick<
  Deps,
  'jobs' | 'keys' | 'notifications' | 'dispatcher' | 'callbackBackoffSeconds' | 'allowLocalCallbacks' | 'now' | 'callbacks'
>;

export const backoffSeconds = (base: number, attempts: number) => Math.min(900, base * 2 ** (attempts - 1));

/**
 * One delivery attempt of a job's completion callback: a signed POST with the
 * job summary, redirects not followed, a short timeout. A failed attempt is
 * queued again with exponential backoff until MAX_CALLBACK_ATTEMPTS. The
 * claim makes concurrent deliverers of the same notification impossible, and
 * a delivered notification is never sent again.
 */
export async function deliverNotification(deps: DeliverDeps, jobId: string): Promise<'delivered' | 'retrying' | 'failed' | 'skipped'> {
  const record = await deps.notifications.claim(jobId, CALLBACK_TIMEOUT_MS / 1000 + 25);
  if (!record) return 'skipped';
  const job = await deps.jobs.get(jobId);
  const secret = activeSecrets(await deps.keys.settings(record.tenantId), deps.now())[0];
  const started = Date.now();
  const attempt: NotificationAttempt = { at: deps.now().toISOString(), durationMs: 0 };
  const refusal = whyNotSend(deps, record.url, Boolean(job), Boolean(secret));
  if (refusal || !job || !secret) {
    attempt.error = refusal;
  } else {
    const body = JSON.stringify({ event: record.event, deliveryId: record.deliveryId, sentAt: attempt.at, job: jobView(job) });
    try {
      const status = await deps.callbacks.post(record.url, {
        timeoutMs: CALLBACK_TIMEOUT_MS,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'MerchantOps-Webhooks/1',
          'merchantops-event': record.event,
          'merchantops-delivery': record.deliveryId,
          'merchantops-tenant': record.tenantId,
          [SIGNATURE_HEADER.toLowerCase()]: signatureHeader([secret], Math.floor(deps.now().getTime() / 1000), body, record.deliveryId),
        },
        body,
      });
      attempt.status = status;
      if (status >= 300 && status < 400) attempt.error = 'redirects are not followed';
      else if (status < 200 || status >= 300) attempt.error = `HTTP ${status}`;
    } catch (error) {
      attempt.error = attemptError(error);
    }
  }
  attempt.durationMs = Date.now() - started;
  const attempts = record.attempts.length + 1;
  const state = !attempt.error ? 'delivered' : attempts >= MAX_CALLBACK_ATTEMPTS ? 'failed' : 'pending';
  await deps.notifications.recordAttempt(jobId, attempt, state);
  if (state === 'pending') await deps.dispatcher.requestNotification(jobId, backoffSeconds(deps.callbackBackoffSeconds, attempts));
  return state === 'pending' ? 'retrying' : state;
}

/** Why this attempt cannot be sent at all, or undefined when it can. */
function whyNotSend(deps: DeliverDeps, url: string, hasJob: boolean, hasSecret: boolean): string | undefined {
  const hostname = URL.canParse(url) ? new URL(url).hostname : '';
  if (parseAddress(hostname) && !isAllowedAddress(hostname, deps.allowLocalCallbacks)) return new RefusedAddressError().message;
  const problem = callbackUrlProblem(url, deps.allowLocalCallbacks);
  if (problem) return `callback URL ${problem}`;
  if (!hasJob) return 'job not found';
  if (!hasSecret) return 'the tenant has no webhook signing secret';
  return undefined;
}

/**
 * What the tenant reads about a failed attempt. Refused and failed connections
 * get one generic text each, never the underlying error, so the attempt log
 * cannot be used to learn what listens where.
 */
function attemptError(error: unknown): string {
  if (error instanceof RefusedAddressError) return error.message;
  const name = (error as Error)?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return `no answer within ${CALLBACK_TIMEOUT_MS} ms`;
  return 'could not connect';
}
