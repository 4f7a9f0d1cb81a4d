import type { Database } from '../../db/client';
import type { ImportKind } from '../../domain/erp-terms';
import type { PricingDeps } from '../pricing/deps';

/**
 * The contract between the import pipeline (upload, parsing, chunks, job state: `pipeline/…`) and what each
 * kind of record means (`kinds/…`). The pipeline never knows a column's meaning; a kind never knows where
 * its rows came from.
 */

/** One record as received: a CSV row (header → cell text) or a JSON/NDJSON object (values keep their type). */
export type ImportRecord = Readonly<Record<string, unknown>>;

export interface RowRef<R> {
  /** 1-based data row as the ERP counts it (a CSV header is row 0; NDJSON line n is row n) */
  rowNo: number;
  row: R;
}

export interface RowReject {
  rowNo: number;
  /** the column at fault, as the ERP named it; null when the row as a whole is at fault */
  column: string | null;
  reason: string;
}

export type RowParse<R> = { ok: true; row: R } | { ok: false; column: string | null; reason: string };

export interface ApplyOutcome {
  applied: number;
  /** same version and content already present (a replayed chunk) */
  unchanged: number;
  /** an older version than the one stored */
  skippedOlder: number;
  /** rows that passed `parse` but cannot be applied (unknown SKU, customer, price list …) */
  rejected: RowReject[];
}

export interface ImportDeps {
  db: Database;
  pricing: PricingDeps;
}

export interface ImportKindSpec<R = unknown> {
  kind: ImportKind;
  /** columns a CSV header must name (compared case-insensitively, surrounding spaces ignored) */
  requiredColumns: readonly string[];
  /** every column the kind knows; a header naming another is refused before anything is stored */
  knownColumns: readonly string[];
  /** checks and normalises one record: pure, no I/O; CSV cells arrive as text, JSON values as sent */
  parse(record: ImportRecord): RowParse<R>;
  /** identity of the record within its kind: two rows with one key are versions of one record */
  keyOf(row: R): string;
  /** the ERP's version of the record (sequence number, or an `updatedAt` instant as epoch ms) */
  versionOf(row: R): number;
  /**
   * Applies one chunk: idempotent (a replayed chunk changes nothing), ordered per record by version (an
   * older row never overwrites a newer one, whatever order chunks arrive in), atomic per chunk, and tells
   * the price index exactly what changed.
   */
  apply(deps: ImportDeps, rows: readonly RowRef<R>[], at: number): Promise<ApplyOutcome>;
}
