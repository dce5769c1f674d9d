import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FileStore } from '@merchantops/core/ports';

const isNotFound = (error: unknown) => {
  const name = (error as { name?: string })?.name;
  return name === 'NoSuchKey' || name === 'NotFound';
};

/** Files (uploads, export parts and results, failure downloads) in one S3 bucket. */
export class S3FileStore implements FileStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  uploadUrl(key: string, contentType: string, expiresIn: number, contentLength?: number): Promise<string> {
    // If-None-Match: * is signed, so the URL can write the file once (S3 answers 412 to a second PUT):
    // a job planned from an upload can cut the same chunks from it again on a re-drive.
    const put = new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: contentLength, IfNoneMatch: '*' });
    // Content-Length among the signed headers: S3 answers 403 to a PUT of any other size.
    return getSignedUrl(this.s3, put, { expiresIn, ...(contentLength ? { signableHeaders: new Set(['content-length']) } : {}) });
  }

  downloadUrl(key: string, filename: string, expiresIn: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`,
      }),
      { expiresIn },
    );
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(key: string): Promise<Readable | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Small bodies in one PUT; streams through a multipart upload, a few MiB at a time. */
  async write(key: string, body: string | AsyncIterable<string | Uint8Array>, contentType: string): Promise<number> {
    if (typeof body === 'string') {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
      return Buffer.byteLength(body);
    }
    let bytes = 0;
    const counted = (async function* () {
      for await (const part of body) {
        const buffer = Buffer.from(part);
        bytes += buffer.length;
        yield buffer;
      }
    })();
    await new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(counted), ContentType: contentType },
      queueSize: 2,
    }).done();
    return bytes;
  }
}
