import { csvLine } from '../csv/write-csv';
import { PRODUCT_CSV_COLUMNS, productToCells } from '../products/product-csv';
import type { FileStore, JobStore } from '../ports';
import type { Job } from './job';

/**
 * Writes a job's failed items as a CSV file. For an import it has the product
 * columns, so the file can be fixed and uploaded again (columns starting with
 * "_" are ignored on import); _line is the row in the original file.
 */
export async function writeFailuresFile(deps: { jobs: JobStore; files: FileStore }, job: Job) {
  const productColumns = job.type === 'import' ? PRODUCT_CSV_COLUMNS : (['sku'] as const);
  const columns = [...productColumns, '_index', '_line', '_reason', '_attempts', ...(job.type === 'import' ? ['_raw'] : [])];
  async function* rows() {
    yield csvLine(columns);
    let cursor: string | undefined;
    do {
      const page = await deps.jobs.listFailures(job.id, 1000, cursor);
      for (const failure of page.items) {
        const item = (typeof failure.item === 'object' && failure.item !== null ? failure.item : {}) as Record<string, unknown>;
        yield csvLine([
          ...productToCells(item, productColumns),
          failure.index,
          failure.line,
          failure.reason,
          failure.attempts,
          ...(job.type === 'import' ? [item.raw ?? failure.preview] : []),
        ]);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const key = `failures/${job.tenantId}/${job.id}/failures.csv`;
  await deps.files.write(key, rows(), 'text/csv; charset=utf-8');
  return { key, filename: `${job.type}-${job.id}-failures.csv` };
}
