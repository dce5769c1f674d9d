import { isFinished, type ApiClient, type Job, type JobList } from '@merchantops/client/client';
import type { Filters } from './route';

export const PAGE_SIZE = 25;

/** The sort key of the jobs listing (newest first): createdAt, then id. */
const order = (job: Job) => `${job.createdAt}#${job.id}`;

/**
 * The jobs the list shows, by id: the polled first page, older pages the user
 * asked for, and jobs that new ones pushed off the first page.
 */
export class JobsFeed {
  private readonly shown = new Map<string, Job>();
  private firstPage: JobList | undefined;
  /** The cursor of the next older page: undefined before the first poll, null when there is none. */
  olderCursor: string | null | undefined;

  constructor(private readonly filters: Filters) {}

  /** One poll: the first page (a 304 answers the same object), then active jobs outside it. */
  async refresh(client: ApiClient) {
    const list = await client.listJobs({ ...this.filters, limit: PAGE_SIZE });
    if (list !== this.firstPage) this.mergeFirstPage(list);
    this.firstPage = list;
    await this.refreshOlderActive(client);
  }

  async loadOlder(client: ApiClient) {
    if (!this.olderCursor) return;
    const list = await client.listJobs({ ...this.filters, limit: PAGE_SIZE, cursor: this.olderCursor });
    for (const job of list.jobs) if (!this.shown.has(job.id)) this.shown.set(job.id, job);
    this.olderCursor = list.nextCursor;
  }

  /** Newest first. */
  jobs(): Job[] {
    return [...this.shown.values()].sort((a, b) => (order(a) < order(b) ? 1 : -1));
  }

  private matches(job: Job) {
    return (!this.filters.type || job.type === this.filters.type) && (!this.filters.status || job.status === this.filters.status);
  }

  private mergeFirstPage(list: JobList) {
    const oldest = list.jobs.at(-1);
    const ids = new Set(list.jobs.map((job) => job.id));
    for (const [id, job] of this.shown) {
      // inside the range the first page covers, the first page is the truth
      if (!ids.has(id) && (list.nextCursor === null || !oldest || order(job) >= order(oldest))) this.shown.delete(id);
    }
    for (const job of list.jobs) this.shown.set(job.id, job);
    if (this.olderCursor === undefined) this.olderCursor = list.nextCursor;
  }

  /** Active jobs outside the first page are refreshed one by one (conditional GETs too). */
  private async refreshOlderActive(client: ApiClient) {
    const inFirst = new Set(this.firstPage?.jobs.map((job) => job.id));
    const stale = [...this.shown.values()].filter((job) => !inFirst.has(job.id) && !isFinished(job));
    await Promise.all(
      stale.map(async (job) => {
        const fresh = await client.getJob(job.id);
        if (this.matches(fresh)) this.shown.set(fresh.id, fresh);
        else this.shown.delete(fresh.id);
      }),
    );
  }
}
