import * as v from 'valibot';
import { runBatch } from '../../../db/queries/bulk';
import {
  getJobAndBatch,
  insertRejects,
  type RejectInput,
  recordBatchApplied,
  refreshImportCounts,
} from '../../../db/queries/imports';
import { log } from '../../../lib/log';
import { catalogChangedForSearch } from '../../search/queue';
import type { ImportRecord, RowRef, RowReject } from '../kind-spec';
import { IMPORT_KIND_SPECS } from '../kinds';
import { type ChunkFile, ChunkFileSchema } from './chunk-file';
import { csvLine } from './csv';
import type { ApplyDeps } from './deps';
import { batchKeyOf } from './keys';
import { RAW_CHARS } from './limits';

/** A rejected row written back the way it came (CSV with its delimiter, else JSON), cut for storage. */
function rawOf(file: ChunkFile, record: ImportRecord | undefined): string | null {
  if (!record) return null;
  const text =
    file.format === 'csv'
      ? csvLine(
          Object.values(record).map((cell) => String(cell ?? '')),
          file.delimiter ?? ',',
        )
      : JSON.stringify(record);
  return text.slice(0, RAW_CHARS);
}

const SEARCHED_KINDS: ReadonlySet<string> = new Set(['products', 'stock']);

/**
 * The apply step of one chunk: the kind applies its rows (idempotent and ordered by version, so a replayed
 * or late chunk changes nothing it should not), then the chunk's counts are recorded ONCE — a chunk
 * already recorded is not applied again — and the job's counters and state follow from its chunks.
 * A missing chunk object or a kind that throws fails the message: retried, then dead-lettered.
 */
export async function applyImportBatch(deps: ApplyDeps, jobId: string, batchNo: number): Promise<void> {
  const { job, batch } = await getJobAndBatch(deps.db, jobId, batchNo);
  if (!job || !batch) {
    log('warn', 'import chunk without its job or chunk row', { jobId, batchNo });
    return;
  }
  if (batch.appliedAt !== null) return;
  const object = await deps.bucket.get(batchKeyOf(job.objectKey, batchNo));
  if (!object) throw new Error(`chunk ${batchNo} of import ${jobId} is missing from the bucket`);
  const file = v.parse(ChunkFileSchema, await object.json());
  const spec = IMPORT_KIND_SPECS[job.kind];
  const rows: RowRef<unknown>[] = [];
  const records = new Map<number, ImportRecord>();
  const rejected: RowReject[] = [];
  for (const { n, r } of file.rows) {
    records.set(n, r);
    // parsed again rather than stored parsed: a kind's row type need not survive JSON
    const parsed = spec.parse(r);
    if (parsed.ok) rows.push({ rowNo: n, row: parsed.row });
    else rejected.push({ rowNo: n, column: parsed.column, reason: parsed.reason });
  }
  const outcome = await spec.apply({ db: deps.db, pricing: deps.pricing }, rows, deps.now());
  const rejects: RejectInput[] = [...rejected, ...outcome.rejected].map((r) => ({
    ...r,
    raw: rawOf(file, records.get(r.rowNo)),
  }));
  const counts = {
    applied: outcome.applied,
    unchanged: outcome.unchanged,
    skippedOlder: outcome.skippedOlder,
    rejected: rejects.length,
  };
  const now = deps.now();
  // products (names, brands, attributes) and stock (the in-stock facet) are what the search index holds;
  // every chunk asks, the build's delay and coalescing make an import's chunks cost one build
  if (outcome.applied > 0 && SEARCHED_KINDS.has(job.kind))
    await catalogChangedForSearch(deps.search, `${job.kind} import ${jobId}`, now);
  await runBatch(deps.db, [
    ...insertRejects(deps.db, jobId, rejects),
    recordBatchApplied(deps.db, jobId, batchNo, counts, now),
    refreshImportCounts(deps.db, jobId, now),
  ]);
}
