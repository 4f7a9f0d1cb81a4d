import * as v from 'valibot';
import type { ImportJobRow, ImportRejectRow } from '../db/queries/imports';
import { IMPORT_KINDS, IMPORT_STATES } from '../domain/erp-terms';
import { PageParams } from '../http/paging';
import { progressOf } from '../services/erp-import/pipeline/jobs';
import { IdSchema } from './schemas';

/** The answers of the ERP's import routes and their admin view (docs/erp.md, "ERP → platform: imports"). */

export const ERP_IMPORTS = '/erp/v1/imports';

export const RejectSchema = v.object({
  rowNo: v.number(),
  column: v.nullable(v.string()),
  reason: v.string(),
});
export const RejectWithRawSchema = v.object({ ...RejectSchema.entries, raw: v.nullable(v.string()) });

const nullableMs = v.nullable(v.number());

export const ImportJobSummarySchema = v.object({
  id: v.string(),
  kind: v.picklist(IMPORT_KINDS),
  source: v.picklist(['push', 'pull']),
  status: v.picklist(IMPORT_STATES),
  format: v.string(),
  encoding: v.nullable(v.string()),
  bytes: v.number(),
  counts: v.object({
    received: v.number(),
    applied: v.number(),
    unchanged: v.number(),
    skippedOlder: v.number(),
    rejected: v.number(),
  }),
  chunks: v.object({ total: v.nullable(v.number()), applied: v.number() }),
  progressPercent: v.number(),
  error: v.nullable(v.string()),
  createdBy: v.string(),
  createdAt: v.number(),
  validatedAt: nullableMs,
  finishedAt: nullableMs,
  durations: v.object({ validationMs: nullableMs, applyMs: nullableMs, totalMs: nullableMs }),
});

export const ImportJobSchema = v.object({
  ...ImportJobSummarySchema.entries,
  rejects: v.object({
    first: v.array(RejectSchema),
    /** the paged JSON list and the CSV download of every rejected row */
    href: v.string(),
    csv: v.string(),
  }),
});

const between = (from: number | null, to: number | null) => (from !== null && to !== null ? to - from : null);

export const jobSummary = (job: ImportJobRow): v.InferOutput<typeof ImportJobSummarySchema> => ({
  id: job.id,
  kind: job.kind,
  source: job.source,
  status: job.status,
  format: job.format,
  encoding: job.encoding,
  bytes: job.bytes,
  counts: {
    received: job.rowsReceived,
    applied: job.rowsApplied,
    unchanged: job.rowsUnchanged,
    skippedOlder: job.rowsSkippedOlder,
    rejected: job.rowsRejected,
  },
  chunks: { total: job.batchesTotal, applied: job.batchesDone },
  progressPercent: progressOf(job),
  error: job.error,
  createdBy: job.createdBy,
  createdAt: job.createdAt,
  validatedAt: job.validatedAt,
  finishedAt: job.finishedAt,
  durations: {
    validationMs: between(job.createdAt, job.validatedAt),
    applyMs: between(job.validatedAt, job.finishedAt),
    totalMs: between(job.createdAt, job.finishedAt),
  },
});

/** The job's own answer, with links to its rejects under `base`. */
export const jobView = (
  job: ImportJobRow,
  first: readonly Pick<ImportRejectRow, 'rowNo' | 'column' | 'reason'>[],
  base: string,
): v.InferOutput<typeof ImportJobSchema> => ({
  ...jobSummary(job),
  rejects: {
    first: first.map(({ rowNo, column, reason }) => ({ rowNo, column, reason })),
    href: `${base}/${job.id}/rejects`,
    csv: `${base}/${job.id}/rejects.csv`,
  },
});

export const ImportIdParam = v.strictObject({ id: IdSchema });
export const RejectsQuery = v.strictObject(PageParams);
export const RejectsCursor = v.object({ r: v.number() });
export const RejectsPageSchema = v.object({
  items: v.array(RejectWithRawSchema),
  nextCursor: v.nullable(v.string()),
});

export const csvDownload = (jobId: string) => ({
  'content-type': 'text/csv; charset=utf-8',
  'content-disposition': `attachment; filename="${jobId}-rejects.csv"`,
});
