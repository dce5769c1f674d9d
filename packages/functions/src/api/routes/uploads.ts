import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { AppError, badRequest } from '@merchantops/core/shared/errors';
import { uploadSizeProblem } from '@merchantops/core/uploads/upload-limits';
import type { Deps } from '@merchantops/core/deps';
import type { UploadFormat } from '@merchantops/core/jobs/job';
import type { AuthEnv } from '../auth';
import { readBody } from '../read-json';
import { errors, json, jsonBody, requests, responses } from '../docs/openapi';

const UPLOAD_URL_SECONDS = 15 * 60;
const CONTENT_TYPES: Record<UploadFormat, string> = { csv: 'text/csv', jsonl: 'application/x-ndjson' };

/**
 * Large imports: the client PUTs its file straight to storage (not through
 * the API, which caps bodies at 6 MiB), then creates an import job with
 * `{"source": {"uploadId"}}`. A file may be at most `maxUploadBytes`: with a
 * declared `size` the URL only takes that many bytes, and the planner checks
 * the stored size before reading any file.
 */
const create = createRoute({
  method: 'post',
  path: '/',
  operationId: 'createUpload',
  summary: 'Upload a CSV or JSON Lines file for an import',
  description: 'Answers a short-lived URL: PUT the file there (straight to storage, any size), then create an import job with `{"source": {"uploadId"}}`.',
  tags: ['Uploads'],
  request: { body: jsonBody(requests.CreateUploadRequest) },
  responses: { 201: json(responses.Upload, 'where to PUT the file'), ...errors(400, 401, 413, 415) },
});

export function uploadRoutes(deps: Deps) {
  const routes = new OpenAPIHono<AuthEnv>();
  routes.openapi({ ...create, middleware: [readBody(create)] }, async (c) => {
    const body = c.req.valid('json');
    const format = body.format ?? formatOf(body.filename);
    if (!format) throw badRequest('format: must be csv or jsonl (or give a filename ending in .csv, .jsonl or .ndjson)');
    const tooLarge = body.size === undefined ? undefined : uploadSizeProblem(body.size, deps.maxUploadBytes);
    if (tooLarge) throw new AppError('payload_too_large', `size: ${tooLarge}`, 413);
    const tenantId = c.get('tenantId');
    const id = randomUUID();
    const key = `uploads/${tenantId}/${id}.${format}`;
    const createdAt = new Date();
    await deps.jobs.saveUpload({ id, tenantId, format, key, createdAt: createdAt.toISOString(), ...(body.filename ? { filename: body.filename } : {}) });
    const url = await deps.files.uploadUrl(key, CONTENT_TYPES[format], UPLOAD_URL_SECONDS, body.size);
    return c.json(
      {
        uploadId: id,
        format,
        method: 'PUT',
        url,
        // The URL writes the file once: If-None-Match is signed into it, so it must be sent.
        headers: { 'Content-Type': CONTENT_TYPES[format], 'If-None-Match': '*', ...(body.size ? { 'Content-Length': String(body.size) } : {}) },
        expiresAt: new Date(createdAt.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      },
      201,
    );
  });
  return routes;
}

function formatOf(filename: string | undefined): UploadFormat | undefined {
  const extension = filename?.toLowerCase().split('.').pop();
  if (extension === 'csv') return 'csv';
  if (extension === 'jsonl' || extension === 'ndjson') return 'jsonl';
  return undefined;
}
