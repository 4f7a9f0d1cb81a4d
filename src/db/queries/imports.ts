import { and, asc, desc, eq, gt, inArray, isNull, lt, notInArray, or, type SQL, sql } from 'drizzle-orm';
import type { ImportKind, ImportState } from '../../domain/erp-terms';
import type { Database } from '../client';
import { erpState, importBatches, importJobs, importRejects } from '../schema';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows } from './bulk';

export type ImportJobRow = typeof importJobs.$inferSelect;
export type NewImportJob = typeof importJobs.$inferInsert;
export type ImportRejectRow = typeof importRejects.$inferSelect;
export type ImportBatchRow = typeof importBatches.$inferSelect;

/** Builds (does not run) the insert, so it goes in one `db.batch` with its audit row. */
export const insertImportJob = (db: Database, row: NewImportJob) => db.insert(importJobs).values(row);

export async function getImportJob(db: Database, id: string): Promise<ImportJobRow | undefined> {
  const [row] = await db.select().from(importJobs).where(eq(importJobs.id, id)).limit(1);
  return row;
}

export interface ImportJobFilter {
  kind?: ImportKind;
  status?: ImportState;
  /** keyset cursor: jobs strictly older than (createdAt, id) */
  before?: { createdAt: number; id: string };
  limit: number;
}

/** Newest first. */
export function listImportJobs(db: Database, f: ImportJobFilter): Promise<ImportJobRow[]> {
  const conditions: (SQL | undefined)[] = [
    f.kind ? eq(importJobs.kind, f.kind) : undefined,
    f.status ? eq(importJobs.status, f.status) : undefined,
    f.before
      ? or(
          lt(importJobs.createdAt, f.before.createdAt),
          and(eq(importJobs.createdAt, f.before.createdAt), lt(importJobs.id, f.before.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(importJobs)
    .where(and(...conditions))
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(f.limit);
}

const TERMINAL: ImportState[] = ['done', 'failed'];

type JobChange = Partial<
  Pick<NewImportJob, 'status' | 'error' | 'validatedAt' | 'finishedAt' | 'rowsReceived' | 'batchesTotal'>
>;

/** Builds the update that moves a job on, unless it is already done or failed (for a `db.batch`). */
export const importJobChange = (db: Database, id: string, change: JobChange, now: number) =>
  db
    .update(importJobs)
    .set({ ...change, updatedAt: now })
    .where(and(eq(importJobs.id, id), notInArray(importJobs.status, TERMINAL)));

/** Moves a job on, unless it is already done or failed; answers whether it moved. */
export async function moveImportJob(
  db: Database,
  id: string,
  change: JobChange,
  now: number,
): Promise<boolean> {
  const moved = await importJobChange(db, id, change, now).returning({ id: importJobs.id });
  return moved.length > 0;
}

/** The last error seen while working on a job, kept for when its message is dead-lettered. */
export const noteImportError = (db: Database, id: string, error: string, now: number) =>
  db
    .update(importJobs)
    .set({ error, updatedAt: now })
    .where(and(eq(importJobs.id, id), notInArray(importJobs.status, TERMINAL)));

export interface RejectInput {
  rowNo: number;
  column: string | null;
  reason: string;
  raw: string | null;
}

/** Inserts of rejected rows, once per (job, row) however often a step runs again. */
export const insertRejects = (db: Database, jobId: string, rejects: readonly RejectInput[]) =>
  chunks(
    rejects.map((r) => ({ jobId, ...r })),
    JSON_ROWS_PER_STATEMENT,
  ).map((part) => db.insert(importRejects).select(jsonRows(importRejects, part)).onConflictDoNothing());

/** Chunk rows of a split; a split that runs again keeps what was applied. */
export const upsertBatches = (
  db: Database,
  jobId: string,
  batches: readonly { batchNo: number; rows: number }[],
) =>
  chunks(
    // every column given: jsonRows writes null for a missing one, defaults included
    batches.map((b) => ({
      jobId,
      ...b,
      applied: 0,
      unchanged: 0,
      skippedOlder: 0,
      rejected: 0,
      appliedAt: null,
    })),
    JSON_ROWS_PER_STATEMENT,
  ).map((part) =>
    db
      .insert(importBatches)
      .select(jsonRows(importBatches, part))
      .onConflictDoUpdate({
        target: [importBatches.jobId, importBatches.batchNo],
        set: { rows: sql`excluded.rows` },
      }),
  );

export const pendingBatchNumbers = async (db: Database, jobId: string): Promise<number[]> =>
  (
    await db
      .select({ batchNo: importBatches.batchNo })
      .from(importBatches)
      .where(and(eq(importBatches.jobId, jobId), isNull(importBatches.appliedAt)))
      .orderBy(asc(importBatches.batchNo))
  ).map((r) => r.batchNo);

/** A job and one of its chunk rows in one round trip (the apply step's first read). */
export async function getJobAndBatch(db: Database, jobId: string, batchNo: number) {
  const [jobs, batches] = await db.batch([
    db.select().from(importJobs).where(eq(importJobs.id, jobId)).limit(1),
    db
      .select()
      .from(importBatches)
      .where(and(eq(importBatches.jobId, jobId), eq(importBatches.batchNo, batchNo)))
      .limit(1),
  ]);
  return { job: jobs[0], batch: batches[0] };
}

export interface BatchCounts {
  applied: number;
  unchanged: number;
  skippedOlder: number;
  rejected: number;
}

/** Records a chunk's counts the first time it is applied; a second time changes nothing. */
export const recordBatchApplied = (
  db: Database,
  jobId: string,
  batchNo: number,
  counts: BatchCounts,
  now: number,
) =>
  db
    .update(importBatches)
    .set({ ...counts, appliedAt: now })
    .where(
      and(
        eq(importBatches.jobId, jobId),
        eq(importBatches.batchNo, batchNo),
        isNull(importBatches.appliedAt),
      ),
    );

/**
 * A job's counters, computed again from its chunks and rejects (so running it twice, or for two chunks at
 * once, cannot count anything twice), and `done` once every chunk is applied. A failed job stays failed.
 */
export function refreshImportCounts(db: Database, jobId: string, now: number) {
  // raw column names: none of them is also a column of import_jobs, so the subqueries are unambiguous
  const sumOf = (column: 'applied' | 'unchanged' | 'skipped_older') =>
    sql`coalesce((SELECT sum(${sql.raw(column)}) FROM import_batches WHERE job_id = ${jobId}), 0)`;
  const done = sql`(SELECT count(*) FROM import_batches WHERE job_id = ${jobId} AND applied_at IS NOT NULL)`;
  const complete = sql`${importJobs.status} = 'applying' AND ${importJobs.batchesTotal} IS NOT NULL AND ${done} >= ${importJobs.batchesTotal}`;
  return db
    .update(importJobs)
    .set({
      rowsApplied: sumOf('applied'),
      rowsUnchanged: sumOf('unchanged'),
      rowsSkippedOlder: sumOf('skipped_older'),
      rowsRejected: sql`(SELECT count(*) FROM import_rejects WHERE job_id = ${jobId})`,
      batchesDone: done,
      status: sql`CASE WHEN ${complete} THEN 'done' ELSE ${importJobs.status} END`,
      // an error seen on the way (a chunk that failed once, then went through) is history once all is applied
      error: sql`CASE WHEN ${complete} THEN NULL ELSE ${importJobs.error} END`,
      finishedAt: sql`CASE WHEN ${complete} THEN ${now} ELSE ${importJobs.finishedAt} END`,
      updatedAt: now,
    })
    .where(eq(importJobs.id, jobId));
}

export async function countRejects(db: Database, jobId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(importRejects)
    .where(eq(importRejects.jobId, jobId));
  return row?.n ?? 0;
}

/** Rejected rows in row order, after `afterRow`. */
export const listRejects = (db: Database, jobId: string, afterRow: number, limit: number) =>
  db
    .select({
      rowNo: importRejects.rowNo,
      column: importRejects.column,
      reason: importRejects.reason,
      raw: importRejects.raw,
    })
    .from(importRejects)
    .where(and(eq(importRejects.jobId, jobId), gt(importRejects.rowNo, afterRow)))
    .orderBy(asc(importRejects.rowNo))
    .limit(limit);

/** The rows behind jobs created before `cutoff` (the job rows themselves stay as history). */
export async function deleteImportDetailsBefore(db: Database, cutoff: number): Promise<void> {
  const old = db.select({ id: importJobs.id }).from(importJobs).where(lt(importJobs.createdAt, cutoff));
  await db.batch([
    db.delete(importRejects).where(inArray(importRejects.jobId, old)),
    db.delete(importBatches).where(inArray(importBatches.jobId, old)),
  ]);
}

export async function readErpState(db: Database, key: string): Promise<string | null> {
  const [row] = await db
    .select({ value: erpState.value })
    .from(erpState)
    .where(eq(erpState.key, key))
    .limit(1);
  return row?.value ?? null;
}

export const writeErpState = (db: Database, key: string, value: string, now: number) =>
  db
    .insert(erpState)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: erpState.key, set: { value, updatedAt: now } });
