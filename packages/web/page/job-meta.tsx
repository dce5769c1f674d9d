import type { Job } from '@merchantops/client/client';
import { shortId } from './format';
import { Time } from './time';

function JobLink({ id }: { id: string }) {
  return (
    <a href={`#/jobs/${id}`}>
      <code>{shortId(id)}</code>
    </a>
  );
}

function sourceText(source: Job['source']): string {
  switch (source.kind) {
    case 'upload':
      return `an uploaded ${source.format.toUpperCase()} file`;
    case 'select':
      return source.missing ? `products missing ${source.missing.join(', ')}` : 'all products';
    case 'retry':
      return `the failed items of job ${shortId(source.jobId)}${source.reason ? ` (${source.reason})` : ''}`;
    default:
      return 'items in the request';
  }
}

/** Id, times, where the items come from, and the retry links of a job. */
export function JobMeta({ job }: { job: Job }) {
  return (
    <>
      <span>
        Id <code>{job.id}</code>
      </span>
      {' · started '}
      <Time iso={job.createdAt} />
      {job.completedAt ? (
        <>
          {' · finished '}
          <Time iso={job.completedAt} />
        </>
      ) : null}
      {` · from ${sourceText(job.source)}`}
      {job.dryRun ? ' · dry run (nothing written)' : null}
      {job.retryOf ? (
        <>
          {' · retry of '}
          <JobLink id={job.retryOf} />
        </>
      ) : null}
      {job.retries.length ? (
        <>
          {' · retried by '}
          {job.retries.map((other, i) => (
            <>
              {i ? ', ' : ''}
              <JobLink id={other} />
            </>
          ))}
        </>
      ) : null}
    </>
  );
}
