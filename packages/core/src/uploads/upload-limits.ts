import type { FileStore } from '../ports';

/**
 * The largest file an upload may hold. The upload URL signs the declared size
 * (S3 refuses any other Content-Length), and the planner checks the stored
 * object's size before reading it. MAX_UPLOAD_BYTES overrides the default.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export function parseMaxUploadBytes(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_MAX_UPLOAD_BYTES;
  const value = Number(raw);
  // 5 GiB: the most one S3 PUT can carry.
  if (!Number.isInteger(value) || value < 1 || value > 5 * 1024 ** 3) {
    throw new Error(`MAX_UPLOAD_BYTES must be a whole number of bytes from 1 to 5368709120, got "${raw}"`);
  }
  return value;
}

/** "256 MiB", "1.5 KiB", "12 bytes": for messages. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit]}`;
}

/** Why the stored upload at `key` cannot be read (too large), or undefined; checked before reading it. */
export async function storedUploadProblem(deps: { files: FileStore; maxUploadBytes?: number }, key: string) {
  const size = await deps.files.size(key);
  return size === undefined ? undefined : uploadSizeProblem(size, deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
}

/** Why a file of `size` bytes cannot be imported, or undefined when it can. */
export const uploadSizeProblem = (size: number, max: number) =>
  size > max ? `the uploaded file is ${formatBytes(size)}; an upload may be at most ${formatBytes(max)}` : undefined;
