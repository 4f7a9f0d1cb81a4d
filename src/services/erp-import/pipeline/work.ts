import { getImportJob, moveImportJob, noteImportError } from '../../../db/queries/imports';
import type { Env } from '../../../env';
import { raiseAlert } from '../../alerts';
import { applyImportBatch } from './apply';
import type { ApplyDeps } from './deps';
import { splitImport } from './split';

/** A message of the `erp-import` queue: split a job's upload into chunks, or apply one chunk. */
export type ImportMessage =
  | { jobId: string; step: 'split' }
  | { jobId: string; step: 'apply'; batch: number };

const stepOf = (m: ImportMessage) => (m.step === 'split' ? 'the split' : `chunk ${m.batch}`);

/**
 * Runs one message. A failure is noted on the job (its last error, shown while the message is retried)
 * and thrown again, so the consumer retries it with backoff and finally dead-letters it.
 */
export async function runImportMessage(deps: ApplyDeps, message: ImportMessage): Promise<void> {
  try {
    if (message.step === 'split') await splitImport(deps, message.jobId);
    else await applyImportBatch(deps, message.jobId, message.batch);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    await noteImportError(deps.db, message.jobId, `${stepOf(message)}: ${why}`, deps.now()).catch(
      () => undefined,
    );
    throw err;
  }
}

/**
 * A message that exhausted its retries: its job fails with the last error (the other chunks go on and are
 * counted) and an alert goes out, once per job.
 */
export async function failImportOnDeadLetter(
  deps: ApplyDeps,
  env: Pick<Env, 'ALERT_WEBHOOK_URL' | 'ENVIRONMENT'>,
  body: unknown,
  attempts: number,
): Promise<void> {
  const message = body as Partial<ImportMessage> | null;
  if (typeof message?.jobId !== 'string') return;
  const job = await getImportJob(deps.db, message.jobId);
  if (!job) return;
  const step =
    message.step === 'apply' && typeof message.batch === 'number' ? `chunk ${message.batch}` : 'the split';
  const error = `${step} failed ${attempts} times and was dead-lettered${job.error ? `; last error: ${job.error}` : ''}`;
  const now = deps.now();
  const failed = await moveImportJob(deps.db, job.id, { status: 'failed', error, finishedAt: now }, now);
  if (!failed) return;
  await raiseAlert(env, {
    kind: 'erp_import.failed',
    subject: job.id,
    detail: `ERP import ${job.id} (${job.kind}) failed: ${error}`,
  });
}
