import { isFinished, type Job } from '@merchantops/client/client';
import { formatCount } from '@merchantops/client/progress-meter';
import type { PageContext } from './context';
import { download } from './download';
import { jobName } from './format';
import type { RunAction } from './use-action';

/** Retries the failed items of a job (those of one reason, if given) and goes to the new job. */
export function retryAction(page: PageContext, job: Job, reason?: string) {
  return async () => {
    const created = await page.client.retryJob(job.id, reason ? { reason } : {});
    page.navigate(`#/jobs/${created.id}`);
    return `Started ${jobName(created)}`;
  };
}

interface Props {
  page: PageContext;
  job: Job;
  busy: string | null;
  run: RunAction;
}

/** The buttons a job has in its state: cancel, retry the failed items, the downloads. */
export function JobActions({ page, job, busy, run }: Props) {
  const finished = isFinished(job);
  const button = (name: string, label: string, className: string, onClick: () => void) => (
    <button type="button" class={`button ${className}`} disabled={busy === name} onClick={onClick}>
      {label}
    </button>
  );
  const downloading = (link: () => Promise<{ url: string }>) => async () => {
    download(await link());
    return 'Download started.';
  };
  return (
    <>
      {!finished
        ? button('cancel', 'Cancel job', 'button--danger', () => {
            if (!confirm(`Cancel ${jobName(job)}? Items not started yet are skipped.`)) return;
            void run('cancel', 'Cancelling…', async () => {
              await page.client.cancelJob(job.id);
              return 'Cancelled.';
            });
          })
        : null}
      {finished && job.failed > 0 && !job.planning
        ? button('retry', `Retry ${formatCount(job.failed)} failed items`, 'button--primary', () => void run('retry', 'Starting a retry…', retryAction(page, job)))
        : null}
      {job.type === 'export' && job.status === 'completed' && !job.dryRun
        ? button('export', 'Download export', '', () => void run('export', 'Preparing the download…', downloading(() => page.client.resultFileLink(job.id))))
        : null}
      {job.failed > 0
        ? button('failures', 'Download failed rows (CSV)', '', () =>
            void run('failures', 'Preparing the download…', downloading(() => page.client.failuresFileLink(job.id))),
          )
        : null}
    </>
  );
}
