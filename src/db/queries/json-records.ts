import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';

/**
 * Bulk statements for versioned upserts (ERP imports): rows are bound as ONE JSON parameter and read with
 * `json_each`, so 500 rows cost one statement and one bound value (D1 binds at most 100 per statement).
 */

/** `(SELECT value FROM json_each(?))`: a list of scalars for `IN`, bound as one parameter. */
export const jsonValues = (values: readonly (string | number)[]) =>
  sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;

type Columns<T extends SQLiteTable> = keyof T['$inferInsert'] & string;

/**
 * `SELECT …` of one row per JSON object, the table's columns in declared order (what `insert().select()`
 * writes): a column reads the object's key of the same (property) name, unless `computed` gives an
 * expression over `value` (the object) for it, e.g. a parent's id looked up by its ERP number. Every
 * column must be given one way or the other: a missing key is NULL, not the column's default.
 */
export function jsonRecords<T extends SQLiteTable>(
  table: T,
  rows: readonly object[],
  computed: Partial<Record<Columns<T>, SQL>> = {},
  where?: SQL,
) {
  const picks = Object.keys(getTableColumns(table)).map(
    (key) => (computed as Record<string, SQL | undefined>)[key] ?? sql.raw(`json_extract(value, '$.${key}')`),
  );
  // WHERE: without one SQLite would read a following ON CONFLICT as a join constraint
  return sql`SELECT ${sql.join(picks, sql`, `)} FROM json_each(${JSON.stringify(rows)}) WHERE ${where ?? sql`true`}`;
}

/** `json_extract(value, '$.key')` of the current `jsonRecords` / `json_each` object. */
export const field = (key: string) => sql.raw(`json_extract(value, '$.${key}')`);

/** The `set` of an upsert that takes these columns from the proposed row (`excluded.…`). */
export function fromExcluded<T extends SQLiteTable>(table: T, keys: readonly Columns<T>[]) {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  return Object.fromEntries(
    keys.map((key) => [key, sql.raw(`excluded."${columns[key]?.name ?? key}"`)]),
  ) as Partial<Record<Columns<T>, SQL>>;
}

/**
 * The upsert condition that makes imports ordered per record: the stored row is replaced only by a newer
 * version, or when the ERP never wrote it (seed data, the admin API).
 */
export const newerThanStored = (version: SQLiteColumn) =>
  sql`excluded.erp_version > ${version} OR ${version} IS NULL`;
