import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '@merchantops/client/client';

/**
 * Fetches a download link (storage, not the API: no key) and saves it:
 * to `output`, to stdout for "-", or under the file's own name.
 */
export async function saveDownload(url: string, output: string | undefined, fallbackName: string): Promise<{ file: string; bytes: number }> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ApiError(0, 'network', `cannot fetch the file: ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) throw new ApiError(response.status, 'download_failed', `the file could not be fetched: HTTP ${response.status}`);
  let bytes = 0;
  const counted = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).on('data', (chunk: Buffer) => (bytes += chunk.length));
  if (output === '-') {
    await pipeline(counted, process.stdout, { end: false });
    return { file: '-', bytes };
  }
  const file = output ?? nameFrom(response.headers.get('content-disposition')) ?? nameFrom(`filename="${new URL(url).pathname.split('/').pop()}"`) ?? fallbackName;
  // Written under a temporary name first, so a broken download never looks like a finished file.
  const partial = `${file}.part`;
  try {
    await pipeline(counted, createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { file, bytes };
}

/** The filename of `Content-Disposition: attachment; filename="..."`, without any folder. */
function nameFrom(disposition: string | null): string | undefined {
  const name = /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1];
  const safe = name?.split(/[\\/]/).pop()?.replace(/[^\w.-]/g, '_');
  return safe && safe !== '.' && safe !== '..' ? safe : undefined;
}
