import { Readable } from 'node:stream';
import type { FileStore } from '../../ports';

/**
 * Files in memory. Its URLs are not fetchable (`memory://`): a test that
 * plays the client PUTs with `put`; presigned URLs that storage enforces are
 * tested against the emulator.
 */
export class MemoryFileStore implements FileStore {
  readonly files = new Map<string, { body: Buffer; contentType: string }>();

  async uploadUrl(key: string, contentType: string, expiresIn: number, contentLength?: number): Promise<string> {
    const query = new URLSearchParams({ method: 'PUT', contentType, expiresIn: String(expiresIn) });
    if (contentLength !== undefined) query.set('contentLength', String(contentLength));
    return `memory://files/${encodeURI(key)}?${query}`;
  }

  async downloadUrl(key: string, filename: string, expiresIn: number): Promise<string> {
    return `memory://files/${encodeURI(key)}?${new URLSearchParams({ filename, expiresIn: String(expiresIn) })}`;
  }

  async size(key: string): Promise<number | undefined> {
    return this.files.get(key)?.body.length;
  }

  async read(key: string): Promise<Readable | undefined> {
    const file = this.files.get(key);
    return file && Readable.from([Buffer.from(file.body)]);
  }

  async write(key: string, body: string | AsyncIterable<string | Uint8Array>, contentType: string): Promise<number> {
    const parts: Buffer[] = [];
    if (typeof body === 'string') parts.push(Buffer.from(body));
    else for await (const part of body) parts.push(Buffer.from(part));
    this.put(key, Buffer.concat(parts), contentType);
    return this.files.get(key)!.body.length;
  }

  /** What a client's PUT to an upload URL does. */
  put(key: string, body: string | Buffer, contentType = 'application/octet-stream') {
    this.files.set(key, { body: Buffer.from(body), contentType });
  }

  /** A stored file as text; undefined when there is none. */
  text(key: string): string | undefined {
    return this.files.get(key)?.body.toString('utf8');
  }
}
