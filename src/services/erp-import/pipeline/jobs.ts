import {
  getImportJob,
  type ImportJobRow,
  insertImportJob,
  listRejects,
  moveImportJob,
} from '../../../db/queries/imports';
import type { ImportKind } from '../../../domain/erp-terms';
import { AppError } from '../../../domain/errors';
import { newId } from '../../../lib/ids';
import { log } from '../../../lib/log';
import { type Actor, auditInsert } from '../../audit';
import { IMPORT_KIND_SPECS } from '../kinds';
import type { PipelineDeps } from './deps';
import { rawKeyOf } from './keys';
import { columnsOf } from './records';
import { R2PartWriter, receiveUpload, type UploadRequest } from './upload';

/**
 * POST /erp/v1/imports/{kind}: the upload streamed to R2 and checked on the way (nothing is kept when it
 * is refused), then the job row with its audit row, then the split message. Answers the new job.
 */
export async function receiveImport(
  deps: PipelineDeps,
  actor: Actor,
  kind: ImportKind,
  request: UploadRequest,
  writer: (key: string) => R2PartWriter = (key) => new R2PartWriter(deps.bucket, key),
): Promise<ImportJobRow> {
  const id = newId('imp');
  const at = actor.now;
  const key = rawKeyOf(id, at);
  const stored = await receiveUpload(request, columnsOf(IMPORT_KIND_SPECS[kind]), writer(key));
  await deps.db.batch([
    insertImportJob(deps.db, {
      id,
      kind,
      source: 'push',
      status: 'received',
      format: request.format,
      encoding: stored.encoding,
      objectKey: key,
      bytes: stored.bytes,
      createdBy: actor.principal.id,
      createdAt: at,
      updatedAt: at,
    }),
    auditInsert(deps.db, actor, {
      companyId: null,
      action: 'erp.import.received',
      targetType: 'import_job',
      targetId: id,
      summary: `${kind} import received: ${request.format}, ${stored.encoding}, ${stored.bytes} bytes`,
    }),
  ]);
  await startSplit(deps, id);
  const job = await getImportJob(deps.db, id);
  if (!job) throw new Error(`import job ${id} vanished`);
  return job;
}

/** Sends the split message; a queue that refuses it fails the job at once rather than leaving it waiting. */
export async function startSplit(deps: PipelineDeps, jobId: string): Promise<void> {
  try {
    await deps.queue.send({ jobId, step: 'split' });
  } catch (err) {
    const now = deps.now();
    await moveImportJob(
      deps.db,
      jobId,
      { status: 'failed', error: 'could not be queued', finishedAt: now },
      now,
    );
    log('error', 'import could not be queued', {
      jobId,
      message: err instanceof Error ? err.message : String(err),
    });
    throw new AppError('upstream_failed', 'The import was stored but could not be queued; send it again');
  }
}

/** How far a job is, in percent: chunks applied of all chunks; 100 once done. */
export function progressOf(job: ImportJobRow): number {
  if (job.status === 'done') return 100;
  if (!job.batchesTotal) return 0;
  return Math.min(100, Math.floor((job.batchesDone / job.batchesTotal) * 100));
}

export const FIRST_REJECTS = 20;

/** A job with its first rejected rows, for the job's own answer. */
export async function jobWithFirstRejects(deps: Pick<PipelineDeps, 'db'>, id: string) {
  const job = await getImportJob(deps.db, id);
  if (!job) throw new AppError('not_found', 'Import not found');
  const rejects = await listRejects(deps.db, id, 0, FIRST_REJECTS);
  return { job, rejects };
}
