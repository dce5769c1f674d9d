import { isFinished, type Job } from '@merchantops/client/client';
import { formatCount } from '@merchantops/client/progress-meter';

interface Props {
  job: Job;
  busy: string | null;
  /** Retries the failed items of one reason. */
  onRetry: (reason: string) => void;
}

/** Failures counted by reason, with the share of each; a finished job offers to retry one reason. */
export function FailureSummary({ job, busy, onRetry }: Props) {
  if (!job.failureSummary.length) return <p class="muted">{job.failed ? 'Counting reasons…' : 'No failed items.'}</p>;
  const finished = isFinished(job);
  return (
    <div class="table-wrap">
      <table class="stack" aria-labelledby="summary-title">
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              Items
            </th>
            <th scope="col">Share</th>
            {finished ? (
              <th scope="col">
                <span class="visually-hidden">Action</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {job.failureSummary.map(({ reason, count }) => {
            const share = job.failed ? (count / job.failed) * 100 : 0;
            return (
              <tr key={reason}>
                <td data-label="Reason" class="reason">
                  {reason}
                </td>
                <td data-label="Items" class="num">
                  {formatCount(count)}
                </td>
                <td data-label="Share">
                  <span class="share" style={`width:${Math.max(2, share * 0.8).toFixed(1)}px`} />
                  {`${share.toFixed(1)}%`}
                </td>
                {finished ? (
                  <td data-label="Action">
                    <button type="button" class="button button--small" disabled={busy === `retry:${reason}`} onClick={() => onRetry(reason)}>
                      Retry these
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
