import type { ApplyOutcome, RowRef, RowReject } from '../kind-spec';

/**
 * What every kind does the same way: one row per record within a chunk (the newest), and counting what
 * happened to each row from what the chunk's one batch read and wrote. Correctness never comes from this
 * counting: the write statements themselves only replace a record whose stored version is older (or
 * absent), so concurrent chunks cannot regress a record whatever order they run in.
 */

export interface Newest<R> {
  /** the newest row of every key in the chunk, in the chunk's order */
  winners: RowRef<R>[];
  /** rows another row of the same chunk supersedes */
  losers: { rowNo: number; identical: boolean }[];
}

/** The higher version wins whatever the row order; of two rows with one version, the later row. */
export function newestPerKey<R>(
  rows: readonly RowRef<R>[],
  keyOf: (row: R) => string,
  versionOf: (row: R) => number,
): Newest<R> {
  const best = new Map<string, RowRef<R>>();
  const losers: Newest<R>['losers'] = [];
  for (const ref of rows) {
    const key = keyOf(ref.row);
    const held = best.get(key);
    if (!held) {
      best.set(key, ref);
      continue;
    }
    const [winner, loser] =
      versionOf(ref.row) > versionOf(held.row) ||
      (versionOf(ref.row) === versionOf(held.row) && ref.rowNo > held.rowNo)
        ? [ref, held]
        : [held, ref];
    best.set(key, winner);
    losers.push({
      rowNo: loser.rowNo,
      identical: JSON.stringify(loser.row) === JSON.stringify(winner.row),
    });
  }
  return { winners: [...best.values()].sort((a, b) => a.rowNo - b.rowNo), losers };
}

/** What the chunk's batch read of a record just before writing it. */
export interface StoredVersion {
  /** null: the record exists but was never written by the ERP (seed data, the admin API) */
  version: number | null;
  /** its content equals the row's */
  same: boolean;
}

export type RowOutcome = 'applied' | 'unchanged' | 'older' | { column: string | null; reason: string };

/**
 * The outcome of a row the write statements did not apply: an older version, the very same record again
 * (a replayed chunk), or the same version with other content, which the ERP must resend with a newer one.
 */
export function notApplied(version: number, stored: StoredVersion | undefined): RowOutcome {
  if (!stored || stored.version === null || stored.version > version) return 'older';
  if (stored.version === version && stored.same) return 'unchanged';
  if (stored.version === version)
    return {
      column: 'version',
      reason: `version ${version} is already stored with other content: send the change with a newer version`,
    };
  return 'older';
}

/** Adds the rows' outcomes up, losers of the chunk included. */
export class Tally {
  readonly outcome: ApplyOutcome = { applied: 0, unchanged: 0, skippedOlder: 0, rejected: [] };

  constructor(losers: Newest<unknown>['losers'] = []) {
    for (const l of losers) {
      if (l.identical) this.outcome.unchanged++;
      else this.outcome.skippedOlder++;
    }
  }

  add(rowNo: number, outcome: RowOutcome): void {
    if (outcome === 'applied') this.outcome.applied++;
    else if (outcome === 'unchanged') this.outcome.unchanged++;
    else if (outcome === 'older') this.outcome.skippedOlder++;
    else this.reject({ rowNo, ...outcome });
  }

  reject(reject: RowReject): void {
    this.outcome.rejected.push(reject);
  }

  /** Rejects in row order, as the job lists them. */
  done(): ApplyOutcome {
    this.outcome.rejected.sort((a, b) => a.rowNo - b.rowNo);
    return this.outcome;
  }
}

/** Equality of plain records (JSON values), key order ignored. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
