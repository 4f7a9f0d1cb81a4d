import { AppError } from '../../../domain/errors';
import { checkHead, type Head, type ImportEncoding, type ImportFormat, startsWithUtf8Bom } from './head';
import { MAX_UPLOAD_BYTES, PART_BYTES } from './limits';
import type { KindColumns } from './records';

const tooLarge = () =>
  new AppError('payload_too_large', `An import is at most ${MAX_UPLOAD_BYTES} bytes (50 MiB)`);

/**
 * Bytes to one R2 object as they come: a single `put` when they fit in one part, else a multipart upload
 * of PART_BYTES parts. One part is held in memory at a time, so an upload's memory does not grow with it.
 */
export class R2PartWriter {
  private readonly buffer = new Uint8Array(PART_BYTES);
  private filled = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];

  constructor(
    private readonly bucket: R2Bucket,
    readonly key: string,
  ) {}

  /** How many parts went to R2 so far (tests watch it to see the body is not held). */
  get partsUploaded(): number {
    return this.parts.length;
  }

  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const n = Math.min(PART_BYTES - this.filled, bytes.length - offset);
      this.buffer.set(bytes.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === PART_BYTES) await this.flush();
    }
  }

  async complete(): Promise<void> {
    if (!this.upload) {
      await this.bucket.put(this.key, this.buffer.subarray(0, this.filled));
      return;
    }
    if (this.filled > 0) await this.flush();
    await this.upload.complete(this.parts);
  }

  /** Drops what was uploaded: an aborted multipart upload leaves no object behind. */
  async abort(): Promise<void> {
    const upload = this.upload;
    this.upload = null;
    if (upload) await upload.abort().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key);
    // awaited before the buffer is filled again
    this.parts.push(
      await this.upload.uploadPart(this.parts.length + 1, this.buffer.subarray(0, this.filled)),
    );
    this.filled = 0;
  }
}

/** Whether every byte so far is UTF-8, checked as the bytes pass (the runtime's decoder, no copy kept). */
class Utf8Check {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  valid = true;
  feed(bytes: Uint8Array): void {
    if (!this.valid) return;
    try {
      this.decoder.decode(bytes, { stream: true });
    } catch {
      this.valid = false;
    }
  }
  end(): boolean {
    this.feed(new Uint8Array(0));
    if (this.valid)
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    return this.valid;
  }
}

export interface UploadRequest {
  body: ReadableStream<Uint8Array> | null;
  contentLength: number | null;
  format: ImportFormat;
  /** the `charset` the request declared, if any */
  charset: ImportEncoding | null;
}

export interface StoredUpload extends Head {
  bytes: number;
  encoding: ImportEncoding;
}

/**
 * Streams an upload to R2 while checking it: the size (413 past MAX_UPLOAD_BYTES, before reading when the
 * Content-Length says so), the header or first record against the kind (400 before any byte is stored),
 * NUL bytes (binary data, 400) and, for JSON, UTF-8. Whatever is refused leaves nothing in R2.
 */
export async function receiveUpload(
  request: UploadRequest,
  cols: KindColumns,
  writer: R2PartWriter,
): Promise<StoredUpload> {
  if (request.contentLength !== null && request.contentLength > MAX_UPLOAD_BYTES) throw tooLarge();
  if (!request.body)
    return { ...checkHeadOrThrow(request, cols, new Uint8Array(0)), bytes: 0, encoding: 'utf-8' };
  const reader = request.body.getReader();
  const utf8 = new Utf8Check();
  let head: Head | null = null;
  let pending: Uint8Array[] = [];
  let bytes = 0;
  let firstBytes: Uint8Array | null = null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (value && value.length > 0) {
        const nul = value.indexOf(0);
        if (nul >= 0)
          throw new AppError(
            'validation_failed',
            `The body is binary data (a NUL byte at offset ${bytes + nul})`,
            [{ in: 'body', path: 'body', message: 'send CSV, NDJSON or a JSON array as text' }],
          );
        bytes += value.length;
        if (bytes > MAX_UPLOAD_BYTES) throw tooLarge();
        if (request.charset !== 'windows-1252') utf8.feed(value);
      }
      if (head) {
        if (value) await writer.write(value);
      } else {
        if (value) pending.push(value);
        const prefix = concat(pending);
        pending = [prefix];
        const verdict = checkHead(request.format, cols, prefix, done, request.charset);
        if (verdict !== 'more') {
          head = verdict;
          firstBytes = prefix.subarray(0, 3);
          await writer.write(prefix);
          pending = [];
        }
      }
      if (done) break;
    }
    const encoding = encodingOf(request, utf8.end(), firstBytes ?? new Uint8Array(0));
    if (!head) throw new Error('unreachable: the head is checked when the body ends');
    await writer.complete();
    return { ...head, bytes, encoding };
  } catch (err) {
    await writer.abort();
    await reader.cancel().catch(() => undefined);
    throw err;
  }
}

function checkHeadOrThrow(request: UploadRequest, cols: KindColumns, bytes: Uint8Array): Head {
  const head = checkHead(request.format, cols, bytes, true, request.charset);
  if (head === 'more') throw new Error('unreachable: an ended body is judged');
  return head;
}

function encodingOf(request: UploadRequest, validUtf8: boolean, first: Uint8Array): ImportEncoding {
  if (request.charset === 'windows-1252') return 'windows-1252';
  if (validUtf8) return 'utf-8';
  // a BOM, a declared UTF-8 or a JSON body that is not UTF-8 after all: refused, not guessed
  if (request.format !== 'csv' || request.charset === 'utf-8' || startsWithUtf8Bom(first))
    throw new AppError('validation_failed', 'The body is not valid UTF-8', [
      { in: 'body', path: 'body', message: 'send UTF-8, or CSV in Windows-1252 with charset=windows-1252' },
    ]);
  return 'windows-1252';
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0]) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
