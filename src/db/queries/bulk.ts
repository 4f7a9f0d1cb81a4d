import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '../client';

/** D1 binds at most 100 parameters per statement: IN lists stay under that with room for the rest. */
export const PARAMS_PER_QUERY = 90;

export const chunks = <T>(items: readonly T[], size = PARAMS_PER_QUERY): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Runs `query` over the distinct values, at most `size` at a time, and joins the rows. */
export async function inChunks<V, R>(
  values: readonly V[],
  query: (part: V[]) => PromiseLike<R[]>,
  size = PARAMS_PER_QUERY,
): Promise<R[]> {
  return (await Promise.all(chunks([...new Set(values)], size).map(query))).flat();
}

/** One `db.batch` (atomic on D1 and libSQL) over a list built at run time; an empty list does nothing. */
export async function runBatch<R = unknown>(db: Database, statements: BatchItem<'sqlite'>[]): Promise<R[]> {
  const [first, ...rest] = statements;
  if (!first) return [];
  return (await db.batch([first, ...rest])) as R[];
}

/**
 * Bulk writes bind one JSON array per chunk (`json_each`) instead of a parameter per column and row: 5,000
 * rules become ten statements in the batch rather than hundreds, under D1's 100-parameter limit either way.
 */
export const JSON_ROWS_PER_STATEMENT = 500;

/**
 * `SELECT` of rows given as one JSON parameter, columns in the table's declared order (the order drizzle's
 * `insert().select()` writes them in). Goes through the insert builder: `db.run(sql)` cannot be batched on D1.
 */
export function jsonRows<T extends SQLiteTable>(table: T, rows: readonly Partial<T['$inferInsert']>[]) {
  const keys = Object.keys(getTableColumns(table));
  const picks = keys.map((_, i) => `json_extract(value, '$[${i}]')`).join(', ');
  const values = rows.map((r) => keys.map((k) => (r as Record<string, unknown>)[k] ?? null));
  // WHERE true: without it SQLite would read a following ON CONFLICT as a join constraint
  return sql`SELECT ${sql.raw(picks)} FROM json_each(${JSON.stringify(values)}) WHERE true`;
}

/**
 * `jsonRows` written only when `guard` holds at that point of the batch: an insert that must happen exactly
 * when a state it depends on is there (checked in SQL, so nothing can change between the check and the write).
 */
export function guardedRows<T extends SQLiteTable>(
  table: T,
  rows: readonly Partial<T['$inferInsert']>[],
  guard: SQL,
) {
  return sql`${jsonRows(table, rows)} AND (${guard})`;
}

type Query = BatchItem<'sqlite'>;
/** The rows of each named query (or of each query of a named list) of `batchRead`. */
export type BatchRows<T> = {
  [K in keyof T]: T[K] extends readonly (infer Q)[] ? Awaited<Q>[] : Awaited<T[K]>;
};

/**
 * Runs named reads as ONE `db.batch`: one round trip to the database instead of one per query. Lists (one
 * query per chunk of an IN list) come back as lists of row sets, in order.
 */
export async function batchRead<T extends Record<string, Query | readonly Query[]>>(
  db: Database,
  queries: T,
): Promise<BatchRows<T>> {
  const flat: Query[] = [];
  const slots: [string, number, number | null][] = [];
  for (const [name, q] of Object.entries(queries)) {
    if (Array.isArray(q)) {
      slots.push([name, flat.length, q.length]);
      flat.push(...q);
    } else {
      slots.push([name, flat.length, null]);
      flat.push(q as Query);
    }
  }
  const results = await runBatch(db, flat);
  const out: Record<string, unknown> = {};
  for (const [name, at, length] of slots) {
    out[name] = length === null ? results[at] : results.slice(at, at + length);
  }
  return out as BatchRows<T>;
}

type Named = Record<string, Query | readonly Query[]>;
/** The rows of one group of `batchGroups`: null for a group left out. */
export type GroupRows<T> = T extends Named ? BatchRows<T> : null;

/**
 * Like `batchRead`, for groups of named queries of which some may be left out (null): whatever is needed
 * still goes in ONE batch, and nothing at all when every group is left out.
 */
export async function batchGroups<G extends Record<string, Named | null>>(
  db: Database,
  groups: G,
): Promise<{ [K in keyof G]: GroupRows<G[K]> }> {
  const flat: Record<string, Query | readonly Query[]> = {};
  for (const [group, queries] of Object.entries(groups)) {
    for (const [name, query] of Object.entries(queries ?? {})) flat[`${group}\u0000${name}`] = query;
  }
  const rows: Record<string, unknown> = Object.keys(flat).length > 0 ? await batchRead(db, flat) : {};
  const out: Record<string, Record<string, unknown> | null> = {};
  for (const [group, queries] of Object.entries(groups)) {
    out[group] = queries
      ? Object.fromEntries(Object.keys(queries).map((name) => [name, rows[`${group}\u0000${name}`]]))
      : null;
  }
  return out as { [K in keyof G]: GroupRows<G[K]> };
}
