import type { Job } from '@merchantops/client/client';
import type { Estimate } from '@merchantops/client/progress-meter';
import { JobRow } from './job-row';

export interface ListedJob {
  job: Job;
  estimate: Estimate;
}

const COLUMNS = ['Job', 'Type', 'Status', 'Total', 'Processed', 'Failed', 'Progress', 'Started', 'Duration', 'Rate · ETA'];
const COLUMN_CLASSES: Record<string, string> = { Total: 'num', Processed: 'num', Failed: 'num', Progress: 'progress-col' };

/** The jobs, newest first; rows are keyed by job id, so a live update touches only what changed. */
export function JobsTable({ rows }: { rows: ListedJob[] }) {
  return (
    <div class="table-wrap">
      <table class="jobs stack" id="jobs-table">
        <caption class="visually-hidden">Jobs, newest first</caption>
        <thead>
          <tr>
            {COLUMNS.map((name) => (
              <th scope="col" class={COLUMN_CLASSES[name]}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ job, estimate }) => (
            <JobRow key={job.id} job={job} estimate={estimate} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
