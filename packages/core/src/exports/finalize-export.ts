import type { Job } from '../jobs/job';
import type { FileStore } from '../ports';
import { exportContentType, exportFileKey, exportHeader, exportPartKey } from './export-format';

/**
 * Joins the parts, in chunk order, into one file, streaming (never the whole
 * file in memory). A part that is missing (its chunk went to the dead-letter
 * queue) holds no rows. Deterministic, so running it twice is harmless.
 */
export async function finalizeExport(files: FileStore, job: Job): Promise<{ format: string; rows: number; bytes: number }> {
  const format = job.format ?? 'csv';
  async function* content() {
    const header = exportHeader(format);
    if (header) yield header;
    for (let n = 0; n < job.chunkCount; n++) {
      const part = await files.read(exportPartKey(job.tenantId, job.id, n));
      if (!part) continue;
      for await (const piece of part) yield piece as Uint8Array;
    }
  }
  const bytes = await files.write(exportFileKey(job.tenantId, job.id, format), content(), exportContentType(format));
  return { format, rows: job.processed - job.failed, bytes };
}
