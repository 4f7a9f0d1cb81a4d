import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES, PART_BYTES } from '../../src/services/erp-import/pipeline/limits';
import { jobOf, request, sent } from './erp-import-helpers';
import { expectProblem, json } from './harness';

beforeEach(() => {
  sent.length = 0;
});

const MiB = 1024 * 1024;
const HEADER = 'sku,warehouse,onHand,version\n';

/** A CSV body made on demand, 1 MiB per pull, that counts what was read from it. */
function generated(total: number) {
  const line = 'FAS-000001,MEM,1,1\n';
  const block = new TextEncoder().encode(line.repeat(Math.ceil(MiB / line.length)).slice(0, MiB));
  const state = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled >= total) return controller.close();
        const first = state.pulled === 0 ? new TextEncoder().encode(HEADER) : new Uint8Array(0);
        const size = Math.min(MiB - first.length, total - state.pulled - first.length);
        const chunk = new Uint8Array(first.length + size);
        chunk.set(first);
        chunk.set(block.subarray(0, size), first.length);
        state.pulled += chunk.length;
        controller.enqueue(chunk);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

/** The bucket the Worker sees, watched: at each part uploaded, how much of the body had been read. */
function watchedBucket(state: { pulled: number }) {
  const lag: number[] = [];
  let uploaded = 0;
  const real = env.ERP_UPLOADS;
  const bucket = {
    put: (...args: Parameters<R2Bucket['put']>) => real.put(...args),
    get: (key: string) => real.get(key),
    list: (options?: R2ListOptions) => real.list(options),
    delete: (keys: string | string[]) => real.delete(keys),
    createMultipartUpload: async (key: string) => {
      const upload = await real.createMultipartUpload(key);
      return {
        key: upload.key,
        uploadId: upload.uploadId,
        uploadPart: async (n: number, part: Uint8Array) => {
          lag.push(state.pulled - uploaded);
          uploaded += part.length;
          return upload.uploadPart(n, part);
        },
        abort: () => upload.abort(),
        complete: (parts: R2UploadedPart[]) => upload.complete(parts),
      };
    },
  } as unknown as R2Bucket;
  return { bucket, lag };
}

const objectsFor = async () => (await env.ERP_UPLOADS.list({ prefix: 'imports/' })).objects.length;
const jobs = async () =>
  (await env.DB.prepare('SELECT count(*) AS n FROM import_jobs').first<{ n: number }>())?.n;

describe('upload size and memory', () => {
  it('a 50 MiB body streams to R2 part by part while it is read: never more than a part and the piece being read', async () => {
    const { stream, state } = generated(MAX_UPLOAD_BYTES);
    const { bucket, lag } = watchedBucket(state);
    const res = await request(
      '/erp/v1/imports/stock',
      { method: 'POST', body: stream, headers: { 'content-type': 'text/csv' } },
      { ERP_UPLOADS: bucket },
    );
    expect(res.status).toBe(202);
    const { id } = await json<{ id: string }>(res);
    expect(state.pulled).toBe(MAX_UPLOAD_BYTES);
    // ten parts of 5 MiB; each went out with at most the part and the 1 MiB being read not yet uploaded
    expect(lag).toHaveLength(MAX_UPLOAD_BYTES / PART_BYTES);
    expect(Math.max(...lag)).toBeLessThanOrEqual(PART_BYTES + MiB);
    const job = await jobOf(id);
    expect(job).toMatchObject({ status: 'received' });
    const key = (await env.ERP_UPLOADS.list({ prefix: 'imports/' })).objects.find((o) => o.key.includes(id));
    expect(key?.size).toBe(MAX_UPLOAD_BYTES);
  });

  it('a Content-Length over 50 MiB is a 413 before the body is read', async () => {
    const { stream, state } = generated(60 * MiB);
    const before = [await objectsFor(), await jobs()];
    const res = await request('/erp/v1/imports/stock', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'text/csv', 'content-length': String(60 * MiB) },
    });
    await expectProblem(res, 413);
    expect(state.pulled).toBeLessThanOrEqual(MiB);
    expect([await objectsFor(), await jobs()]).toEqual(before);
  });

  it('a stream that passes 50 MiB without a Content-Length is a 413 and leaves nothing behind', async () => {
    const { stream, state } = generated(60 * MiB);
    const { bucket } = watchedBucket(state);
    const before = [await objectsFor(), await jobs()];
    const res = await request(
      '/erp/v1/imports/stock',
      { method: 'POST', body: stream, headers: { 'content-type': 'text/csv' } },
      { ERP_UPLOADS: bucket },
    );
    await expectProblem(res, 413);
    expect(state.pulled).toBeLessThan(60 * MiB);
    expect([await objectsFor(), await jobs()]).toEqual(before);
    expect(sent).toEqual([]);
  });
});
