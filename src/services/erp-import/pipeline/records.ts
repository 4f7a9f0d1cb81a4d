import type { FieldIssue } from '../../../domain/errors';
import type { ImportKindSpec, ImportRecord } from '../kind-spec';
import type { CsvRecord } from './csv';
import type { JsonRecord } from './json-records';

/**
 * From a file's rows to the records a kind parses: column names matched to the kind's own spelling
 * (case and surrounding spaces ignored), row shape and text checked. Nothing here knows a column's meaning.
 */

export type RecordOutcome =
  | { ok: true; record: ImportRecord }
  | { ok: false; column: string | null; reason: string };

/** The kind's columns by their lower-cased name. */
export interface KindColumns {
  byName: ReadonlyMap<string, string>;
  required: readonly string[];
  known: readonly string[];
}

export const columnsOf = (spec: Pick<ImportKindSpec, 'knownColumns' | 'requiredColumns'>): KindColumns => ({
  byName: new Map(spec.knownColumns.map((c) => [c.trim().toLowerCase(), c])),
  required: spec.requiredColumns,
  known: spec.knownColumns,
});

const canonical = (cols: KindColumns, name: string) => cols.byName.get(name.trim().toLowerCase());

/**
 * The names of a CSV header (or the keys of the first JSON record) against the kind: every unknown,
 * repeated or missing column is an issue whose path is the column as the file names it.
 */
export function checkColumnNames(
  cols: KindColumns,
  names: readonly string[],
): { ok: true; columns: string[] } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const columns: string[] = [];
  const seen = new Set<string>();
  names.forEach((name, i) => {
    const known = canonical(cols, name);
    if (name.trim() === '')
      issues.push({ in: 'body', path: `column ${i + 1}`, message: 'empty column name' });
    else if (!known)
      issues.push({
        in: 'body',
        path: name,
        message: `unknown column; this kind knows ${cols.known.join(', ')}`,
      });
    else if (seen.has(known)) issues.push({ in: 'body', path: name, message: 'column named twice' });
    else seen.add(known);
    columns.push(known ?? name);
  });
  for (const required of cols.required)
    if (!seen.has(required)) issues.push({ in: 'body', path: required, message: 'required column missing' });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, columns };
}

// C0/C1 controls except tab and line breaks, lone surrogates, and a byte order mark inside the text
// (an editor that glued two files together): none of them belongs in a value, and each hides text.
const FORBIDDEN = /(?![\t\n\r])\p{Cc}|\p{Cs}|\uFEFF/u;

function textFault(column: string, value: unknown): RecordOutcome | null {
  if (typeof value !== 'string') return null;
  const found = FORBIDDEN.exec(value);
  if (!found) return null;
  const reason =
    found[0] === '\uFEFF'
      ? 'a byte order mark (U+FEFF) inside the value'
      : `a control character (U+${(found[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) in the value`;
  return { ok: false, column, reason };
}

/** A CSV record with the header's (canonical) column names. */
export function recordFromCells(columns: readonly string[], row: CsvRecord): RecordOutcome {
  if (row.fault) return { ok: false, column: columns[row.fault.cell] ?? null, reason: row.fault.reason };
  if (row.cells.length !== columns.length)
    return {
      ok: false,
      column: null,
      reason: `${row.cells.length} fields where the header has ${columns.length}`,
    };
  const record: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] ?? '';
    const value = row.cells[i] ?? '';
    const fault = textFault(column, value);
    if (fault) return fault;
    record[column] = value;
  }
  return { ok: true, record };
}

/** A JSON record: an object whose keys are the kind's columns; a missing required one is named. */
export function recordFromJson(cols: KindColumns, row: JsonRecord): RecordOutcome {
  if (row.fault) return { ok: false, column: null, reason: row.fault };
  const value = row.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, column: null, reason: 'a record must be a JSON object' };
  const record: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const column = canonical(cols, key);
    if (!column) return { ok: false, column: key, reason: 'unknown column' };
    const fault = textFault(column, item);
    if (fault) return fault;
    record[column] = item;
  }
  for (const required of cols.required)
    if (!(required in record)) return { ok: false, column: required, reason: 'required column missing' };
  return { ok: true, record };
}
