import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { FileStore } from '@merchantops/core/ports';

/**
 * Files that survive a restart of `npm start`. fauxqs keeps S3 objects in memory only, so every file is
 * also kept at `<dir>/<key>`: written files as they are written, other objects (uploads PUT straight to
 * the emulator) the first time they are seen through `size()` or `read()` — a job is only created from
 * an upload after `size()` has found it. A key the emulator no longer has is put back into it from disk
 * before it is sized, read or linked, so every read still goes through the real S3 path.
 *
 * Content types are kept beside the files (under `.meta/`) for written files; an object first seen in
 * the emulator is restored as `application/octet-stream`. Nothing here is ever deleted.
 */
export class DurableFileStore implements FileStore {
  private readonly dir: string;

  constructor(
    private readonly inner: FileStore,
    dir: string,
  ) {
    this.dir = path.resolve(dir);
  }

  uploadUrl(key: string, contentType: string, expiresIn: number, contentLength?: number): Promise<string> {
    return this.inner.uploadUrl(key, contentType, expiresIn, contentLength);
  }

  async downloadUrl(key: string, filename: string, expiresIn: number): Promise<string> {
    await this.size(key); // the link goes straight to the emulator: put the file back first
    return this.inner.downloadUrl(key, filename, expiresIn);
  }

  async size(key: string): Promise<number | undefined> {
    const file = this.fileOf(key);
    const [inEmulator, onDisk] = await Promise.all([this.inner.size(key), sizeOf(file)]);
    if (inEmulator !== undefined) {
      if (onDisk !== inEmulator) await this.copyToDisk(key);
      return inEmulator;
    }
    if (onDisk === undefined) return undefined;
    await this.restore(key);
    return this.inner.size(key);
  }

  async read(key: string): Promise<Readable | undefined> {
    if ((await this.size(key)) === undefined) return undefined;
    return this.inner.read(key);
  }

  async write(key: string, body: string | AsyncIterable<string | Uint8Array>, contentType: string): Promise<number> {
    const file = this.fileOf(key);
    const temp = await this.tempFile();
    const out = createWriteStream(temp).on('error', () => {}); // seen by finished() below
    try {
      const bytes = await this.inner.write(key, typeof body === 'string' ? body : tee(body, out), contentType);
      await finished(out.end(typeof body === 'string' ? body : undefined));
      await this.commit(temp, file, key, contentType);
      return bytes;
    } catch (error) {
      out.destroy();
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** `<dir>/<key>`; keys are the app's own (`uploads/…`, `exports/…`, `failures/…`), never a way out of `dir`. */
  private fileOf(key: string): string {
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s.startsWith('.'))) throw new Error(`cannot keep file "${key}" on disk: unsafe key`);
    return path.join(this.dir, ...segments);
  }

  private metaOf(key: string): string {
    return path.join(this.dir, '.meta', `${key}.json`);
  }

  private async tempFile(): Promise<string> {
    const temp = path.join(this.dir, '.tmp');
    await mkdir(temp, { recursive: true });
    return path.join(temp, randomUUID());
  }

  /** A complete copy replaces the old one at once: a crash never leaves half a file under its key. */
  private async commit(temp: string, file: string, key: string, contentType?: string) {
    if (contentType) {
      await mkdir(path.dirname(this.metaOf(key)), { recursive: true });
      await writeFile(this.metaOf(key), JSON.stringify({ contentType }));
    }
    await mkdir(path.dirname(file), { recursive: true });
    await rename(temp, file);
  }

  private async copyToDisk(key: string) {
    const body = await this.inner.read(key);
    if (!body) return;
    const temp = await this.tempFile();
    try {
      await pipeline(body, createWriteStream(temp));
      await this.commit(temp, this.fileOf(key), key);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  private async restore(key: string) {
    const meta = await readFile(this.metaOf(key), 'utf8').then(
      (text) => JSON.parse(text) as { contentType?: string },
      () => ({}) as { contentType?: string },
    );
    await this.inner.write(key, createReadStream(this.fileOf(key)), meta.contentType ?? 'application/octet-stream');
  }
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Passes `body` on while writing every piece to `out` too. */
async function* tee(body: AsyncIterable<string | Uint8Array>, out: WriteStream) {
  for await (const part of body) {
    const buffer = Buffer.from(part);
    if (out.errored) throw out.errored;
    if (!out.write(buffer)) await once(out, 'drain');
    yield buffer;
  }
}
