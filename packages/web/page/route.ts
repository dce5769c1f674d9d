import type { Job } from '@merchantops/client/client';
import { JOB_STATUSES, JOB_TYPES } from '@merchantops/core/jobs/job';

/** The page's routes: the jobs list `#/?type=&status=` and a job's details `#/jobs/<id>`. */

export interface Filters {
  type?: Job['type'];
  status?: Job['status'];
}

export type Route = { view: 'list'; filters: Filters } | { view: 'job'; id: string };

export function routeOf(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const detail = /^\/jobs\/([0-9a-fA-F-]{36})$/.exec(path);
  if (detail) return { view: 'job', id: detail[1].toLowerCase() };
  return { view: 'list', filters: filtersFromQuery(new URLSearchParams(path.split('?')[1] ?? '')) };
}

export function filtersFromQuery(query: URLSearchParams): Filters {
  const type = query.get('type');
  const status = query.get('status');
  return {
    ...(JOB_TYPES.includes(type as Job['type']) ? { type: type as Job['type'] } : {}),
    ...(JOB_STATUSES.includes(status as Job['status']) ? { status: status as Job['status'] } : {}),
  };
}

export function listHash(filters: { type?: string; status?: string }): string {
  const query = new URLSearchParams();
  if (filters.type) query.set('type', filters.type);
  if (filters.status) query.set('status', filters.status);
  const search = query.toString();
  return search ? `#/?${search}` : '#/';
}
