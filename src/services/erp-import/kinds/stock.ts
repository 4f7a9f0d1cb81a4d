import { readStockFor, type StockUpsert, upsertNewerStock } from '../../../db/queries/erp-stock';
import type { ApplyOutcome, ImportKindSpec, ImportRecord, RowParse, RowRef, RowReject } from '../kind-spec';

/**
 * Stock per SKU and warehouse. Stock is not a pricing input, so nothing here touches the price index; the
 * product page and cart read stock from SQL (the cart's object keeps it at most 5 s).
 */
export interface StockRow {
  sku: string;
  warehouse: string;
  onHand: number;
  nextAvailabilityDate: string | null;
  version: number;
}

const MAX_ON_HAND = 1_000_000_000_000;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Field<T> = { ok: true; value: T } | { ok: false; reason: string };
const bad = (reason: string): Field<never> => ({ ok: false, reason });

function code(value: unknown, max: number): Field<string> {
  const text = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== 'string') return bad('text expected');
  const trimmed = text.trim();
  if (trimmed === '') return bad('required');
  return trimmed.length > max ? bad(`at most ${max} characters`) : { ok: true, value: trimmed };
}

/** A whole, non-negative number of units: CSV text or a JSON number. */
function units(value: unknown): Field<number> {
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value < 0
        ? bad('must not be negative')
        : value > MAX_ON_HAND
          ? bad('too large')
          : { ok: true, value }
      : bad('a whole number of units');
  if (typeof value !== 'string' || value.trim() === '') return bad('required');
  const text = value.trim();
  if (/^-\s*\d/.test(text)) return bad('must not be negative');
  if (/^\d+[.,]\d+$/.test(text)) return bad('a whole number of units (no decimals, no decimal comma)');
  if (!/^\d+$/.test(text)) return bad('a whole number of units');
  const n = Number(text);
  return n > MAX_ON_HAND ? bad('too large') : { ok: true, value: n };
}

function calendarDate(value: unknown): Field<string | null> {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === ''))
    return { ok: true, value: null };
  if (typeof value !== 'string' || !DATE.test(value.trim())) return bad('a date as YYYY-MM-DD');
  const text = value.trim();
  const [y = 0, m = 0, d = 0] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000 && y <= 2100
    ? { ok: true, value: text }
    : bad('not a calendar date (years 2000–2100)');
}

/** The ERP's version: a sequence number, or an ISO 8601 instant with its offset (→ epoch ms). */
export function erpVersion(value: unknown): Field<number> {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value >= 0
      ? { ok: true, value }
      : bad('a whole number ≥ 0, or an ISO 8601 instant');
  if (typeof value !== 'string' || value.trim() === '') return bad('required');
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? { ok: true, value: n } : bad('too large');
  }
  const at = INSTANT.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at)
    ? bad('a whole number ≥ 0, or an ISO 8601 instant with offset')
    : { ok: true, value: at };
}

function parse(record: ImportRecord): RowParse<StockRow> {
  const fields = {
    sku: code(record.sku, 64),
    warehouse: code(record.warehouse, 64),
    onHand: units(record.onHand),
    nextAvailabilityDate: calendarDate(record.nextAvailabilityDate),
    version: erpVersion(record.version),
  };
  for (const [column, field] of Object.entries(fields))
    if (!field.ok) return { ok: false, column, reason: field.reason };
  const { sku, warehouse, onHand, nextAvailabilityDate, version } = fields;
  if (!sku.ok || !warehouse.ok || !onHand.ok || !nextAvailabilityDate.ok || !version.ok)
    return { ok: false, column: null, reason: 'unreadable' };
  return {
    ok: true,
    row: {
      sku: sku.value,
      warehouse: warehouse.value,
      onHand: onHand.value,
      nextAvailabilityDate: nextAvailabilityDate.value,
      version: version.value,
    },
  };
}

const none = { stored: [], knownSkus: new Set<string>() };
const upsertOf = (row: StockRow, at: number): StockUpsert => ({
  sku: row.sku,
  warehouse: row.warehouse,
  onHand: row.onHand,
  nextAvailabilityDate: row.nextAvailabilityDate,
  erpVersion: row.version,
  updatedAt: at,
});
const keyOf = (row: StockRow) => `${row.sku}\u0000${row.warehouse}`;
const sameContent = (a: Pick<StockRow, 'onHand' | 'nextAvailabilityDate'>, b: typeof a) =>
  a.onHand === b.onHand && a.nextAvailabilityDate === b.nextAvailabilityDate;

/**
 * Newest version per key wins, within the chunk and against what is stored; equal version and content is
 * `unchanged` (a replay), anything not newer is `skippedOlder`. The write itself repeats the version
 * test, so two chunks racing cannot let the older one win.
 */
async function apply(
  deps: { db: Parameters<typeof readStockFor>[0] },
  rows: readonly RowRef<StockRow>[],
  at: number,
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { applied: 0, unchanged: 0, skippedOlder: 0, rejected: [] };
  const newest = new Map<string, RowRef<StockRow>>();
  const losers: { ref: RowRef<StockRow>; winner: StockRow }[] = [];
  for (const ref of rows) {
    const current = newest.get(keyOf(ref.row));
    if (!current || ref.row.version > current.row.version) {
      if (current) losers.push({ ref: current, winner: ref.row });
      newest.set(keyOf(ref.row), ref);
    } else losers.push({ ref, winner: current.row });
  }
  for (const { ref, winner } of losers)
    if (ref.row.version === winner.version && sameContent(ref.row, winner)) outcome.unchanged++;
    else outcome.skippedOlder++;

  // written first, read after only for what was not: on fresh data one round trip instead of two
  const candidates = [...newest.values()];
  const written = new Set(
    (
      await upsertNewerStock(
        deps.db,
        candidates.map(({ row }) => upsertOf(row, at)),
      )
    ).map((w) => `${w.sku}\u0000${w.warehouse}`),
  );
  outcome.applied = written.size;
  const rest = candidates.filter((c) => !written.has(keyOf(c.row)));
  const { stored, knownSkus } =
    rest.length > 0
      ? await readStockFor(
          deps.db,
          rest.map((c) => c.row),
        )
      : none;
  const storedByKey = new Map(stored.map((s) => [`${s.sku}\u0000${s.warehouse}`, s]));
  const rejected: RowReject[] = [];
  for (const { rowNo, row } of rest) {
    const current = storedByKey.get(keyOf(row));
    if (!knownSkus.has(row.sku)) rejected.push({ rowNo, column: 'sku', reason: 'unknown SKU' });
    else if (current && row.version === current.erpVersion && sameContent(row, current)) outcome.unchanged++;
    // stored with a newer version, or one that landed between two chunks' writes
    else outcome.skippedOlder++;
  }
  outcome.rejected = rejected.sort((a, b) => a.rowNo - b.rowNo);
  return outcome;
}

export const stockImport: ImportKindSpec<StockRow> = {
  kind: 'stock',
  requiredColumns: ['sku', 'warehouse', 'onHand', 'version'],
  knownColumns: ['sku', 'warehouse', 'onHand', 'nextAvailabilityDate', 'version'],
  parse,
  keyOf,
  versionOf: (row) => row.version,
  apply,
};
