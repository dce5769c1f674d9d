import type { Job } from '../jobs/job';
import type { FileStore } from '../ports';
import { exportContentType, exportFileKey, exportHeader, exportPartKey } from './export-format';

const READ_AHEAD = 8;

/**
 * Joins the parts, in chunk order, into one file, streaming (never the whole
 * file in memory). A part that is missing (its chunk went to the dead-letter
 * queue) holds no rows. Deterministic, so running it twice is harmless.
 */
export async function finalizeExport(files: FileStore, job: Job): Promise<{ format: string; rows: number; bytes: number }> {
  const format = job.format ?? 'csv';
  // Parts are fetched a few ahead of the one being written, in order.
  const fetchPart = (n: number) => files.read(exportPartKey(job.tenantId, job.id, n));
  async function* content() {
    const header = exportHeader(format);
    if (header) yield header;
    const ahead: ReturnType<typeof fetchPart>[] = [];
    for (let n = 0; n < Math.min(READ_AHEAD, job.chunkCount); n++) ahead.push(fetchPart(n));
    for (let n = 0; n < job.chunkCount; n++) {
      const part = await ahead.shift()!;
      if (n + READ_AHEAD < job.chunkCount) ahead.push(fetchPart(n + READ_AHEAD));
      if (!part) continue;
      for await (const piece of part) yield piece as Uint8Array;
    }
  }
  const bytes = await files.write(exportFileKey(job.tenantId, job.id, format), content(), exportContentType(format));
  return { format, rows: job.processed - job.failed, bytes };
}
