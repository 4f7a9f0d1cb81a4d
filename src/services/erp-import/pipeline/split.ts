import { JSON_ROWS_PER_STATEMENT, runBatch } from '../../../db/queries/bulk';
import {
  getImportJob,
  type ImportJobRow,
  importJobChange,
  insertRejects,
  moveImportJob,
  pendingBatchNumbers,
  type RejectInput,
  refreshImportCounts,
  upsertBatches,
} from '../../../db/queries/imports';
import { log } from '../../../lib/log';
import type { ImportKindSpec } from '../kind-spec';
import { IMPORT_KIND_SPECS } from '../kinds';
import type { ChunkFile } from './chunk-file';
import type { PipelineDeps } from './deps';
import { ImportFileError } from './json-records';
import { batchKeyOf } from './keys';
import { CHUNK_ROWS, MAX_REJECTS, MAX_ROWS } from './limits';
import { readRecords } from './read';
import type { RecordOutcome } from './records';

/** The file is wrong as a whole: the job fails with this message and nothing of it is applied. */
class SplitFailure extends Error {}

/**
 * Valid records in chunks of CHUNK_ROWS to R2 (chunk n always holds the same rows, so a split that runs
 * again writes the same objects), rejects to SQL as they come (once per row).
 */
class ChunkSink {
  private rows: ChunkFile['rows'] = [];
  private rejects: RejectInput[] = [];
  readonly batches: { batchNo: number; rows: number }[] = [];
  received = 0;
  rejected = 0;
  delimiter: string | null = null;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly job: ImportJobRow,
    private readonly spec: ImportKindSpec,
  ) {}

  readonly take = async (rowNo: number, outcome: RecordOutcome, raw: string): Promise<void> => {
    if (++this.received > MAX_ROWS)
      throw new SplitFailure(`more than ${MAX_ROWS} rows: split the file; nothing was applied`);
    if (!outcome.ok) return this.reject({ rowNo, column: outcome.column, reason: outcome.reason, raw });
    let parsed: ReturnType<ImportKindSpec['parse']>;
    try {
      parsed = this.spec.parse(outcome.record);
    } catch (err) {
      parsed = { ok: false, column: null, reason: `cannot be read (${String(err)})` };
    }
    if (!parsed.ok) return this.reject({ rowNo, column: parsed.column, reason: parsed.reason, raw });
    this.rows.push({ n: rowNo, r: { ...outcome.record } });
    if (this.rows.length === CHUNK_ROWS) await this.writeChunk();
  };

  async finish(): Promise<void> {
    if (this.rows.length > 0) await this.writeChunk();
    await this.flushRejects();
  }

  async flushRejects(): Promise<void> {
    const rejects = this.rejects;
    this.rejects = [];
    await runBatch(this.deps.db, insertRejects(this.deps.db, this.job.id, rejects));
  }

  private async reject(reject: RejectInput): Promise<void> {
    this.rejects.push(reject);
    if (++this.rejected > MAX_REJECTS)
      throw new SplitFailure(
        `more than ${MAX_REJECTS} rejected rows: the file looks wrong as a whole; nothing was applied`,
      );
    if (this.rejects.length >= JSON_ROWS_PER_STATEMENT) await this.flushRejects();
  }

  private async writeChunk(): Promise<void> {
    const batchNo = this.batches.length + 1;
    const format = this.job.format === 'csv' || this.job.format === 'ndjson' ? this.job.format : 'json';
    const file: ChunkFile = { format, delimiter: this.delimiter, rows: this.rows };
    await this.deps.bucket.put(batchKeyOf(this.job.objectKey, batchNo), JSON.stringify(file));
    this.batches.push({ batchNo, rows: this.rows.length });
    this.rows = [];
  }
}

/**
 * The split step: reads the raw upload once, as a stream, into chunks and rejects, then sends one message
 * per chunk. Safe to run again at any point (a redelivered message): chunk numbers are deterministic,
 * rejects are kept once per row, and chunks already applied are not sent again. Messages go out only once
 * the whole file is read, so a file refused as a whole (too many rows, an unclosed quote) applies nothing.
 */
export async function splitImport(deps: PipelineDeps, jobId: string): Promise<void> {
  const job = await getImportJob(deps.db, jobId);
  if (!job) {
    log('warn', 'import split for an unknown job', { jobId });
    return;
  }
  if (job.status === 'done' || job.status === 'failed') return;
  if (job.status === 'applying') {
    // the split finished before; its messages may not all have been sent
    await sendChunks(deps, jobId, await pendingBatchNumbers(deps.db, jobId));
    return;
  }
  await moveImportJob(deps.db, jobId, { status: 'validating' }, deps.now());
  const object = await deps.bucket.get(job.objectKey);
  if (!object) throw new Error(`the raw upload ${job.objectKey} is missing`);
  const text = object.body.pipeThrough(
    new TextDecoderStream(job.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8'),
  );
  const spec = IMPORT_KIND_SPECS[job.kind];
  const sink = new ChunkSink(deps, job, spec);
  try {
    await readRecords(text, job, spec, sink.take, (d) => {
      sink.delimiter = d;
    });
    await sink.finish();
  } catch (err) {
    if (!(err instanceof SplitFailure || err instanceof ImportFileError)) throw err;
    await failSplit(deps, job, err, sink);
    return;
  }
  const now = deps.now();
  const change = { status: 'applying' as const, validatedAt: now, rowsReceived: sink.received };
  await runBatch(deps.db, [
    // chunks first, then the state: a job is `applying` only with every chunk recorded
    ...upsertBatches(deps.db, jobId, sink.batches),
    importJobChange(deps.db, jobId, { ...change, batchesTotal: sink.batches.length }, now),
    refreshImportCounts(deps.db, jobId, now),
  ]);
  await sendChunks(deps, jobId, await pendingBatchNumbers(deps.db, jobId));
}

async function failSplit(deps: PipelineDeps, job: ImportJobRow, err: Error, sink: ChunkSink): Promise<void> {
  const rowNo = err instanceof ImportFileError ? err.rowNo : null;
  const error = rowNo !== null ? `row ${rowNo}: ${err.message}; nothing was applied` : err.message;
  await sink.flushRejects();
  const fileFault: RejectInput[] =
    rowNo !== null && rowNo > 0 ? [{ rowNo, column: null, reason: err.message, raw: null }] : [];
  const now = deps.now();
  await runBatch(deps.db, [
    ...insertRejects(deps.db, job.id, fileFault),
    importJobChange(
      deps.db,
      job.id,
      { status: 'failed', error, finishedAt: now, rowsReceived: sink.received },
      now,
    ),
    refreshImportCounts(deps.db, job.id, now),
  ]);
  log('warn', 'import refused as a whole', { jobId: job.id, kind: job.kind, error });
}

/** One message per chunk, at most 100 per `sendBatch` (the Queues limit). */
async function sendChunks(deps: PipelineDeps, jobId: string, batchNos: readonly number[]): Promise<void> {
  for (let i = 0; i < batchNos.length; i += 100) {
    await deps.queue.sendBatch(
      batchNos.slice(i, i + 100).map((batch) => ({ body: { jobId, step: 'apply' as const, batch } })),
    );
  }
}
