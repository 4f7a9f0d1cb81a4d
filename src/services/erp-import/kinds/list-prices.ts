import { and, inArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { batchRead, chunks, JSON_ROWS_PER_STATEMENT, runBatch } from '../../../db/queries/bulk';
import { fromExcluded, jsonRecords, jsonValues, newerThanStored } from '../../../db/queries/json-records';
import { listPrices, priceLists, products } from '../../../db/schema';
import { currencyExponent } from '../../../domain/money';
import { pricingChanged } from '../../pricing/invalidation';
import type { ApplyOutcome, ImportDeps, ImportKindSpec, ImportRecord, RowRef } from '../kind-spec';
import { cellsOf, type DecimalText, minorUnits } from './cells';
import { newestPerKey, notApplied, Tally } from './versioned';

export interface ListPriceImportRow {
  priceListId: string;
  sku: string;
  /** in the list's currency, converted to minor units when applied (the currency decides the decimals) */
  amount: DecimalText;
  version: number;
}

const COLUMNS = ['priceList', 'sku', 'amount', 'version'] as const;
const MAX_MINOR = 1e12;

export function parseListPrice(record: ImportRecord) {
  const c = cellsOf(record);
  const priceListId = c.requiredText('priceList', { max: 80 });
  const sku = c.requiredText('sku', { max: 64 });
  const amount = c.decimal('amount', true) ?? '0';
  const version = c.version();
  return c.result<ListPriceImportRow>(() => ({ priceListId, sku, amount, version }));
}

const keyOf = (row: ListPriceImportRow) => `${row.priceListId}\u0000${row.sku}`;

export interface ListPricesApplied {
  outcome: ApplyOutcome;
  /** lists whose prices changed (their indexes were asked to rebuild) */
  changedLists: string[];
  /** the fingerprints whose rebuild was requested */
  fingerprints: string[];
}

/**
 * Applies list prices in two round trips: the lists and SKUs the chunk names, then one batch that reads
 * what is stored and writes (only newer versions win, in SQL), plus `extra` statements (an audit row).
 */
export async function applyListPrices(
  deps: ImportDeps,
  rows: readonly RowRef<ListPriceImportRow>[],
  at: number,
  extra: BatchItem<'sqlite'>[] = [],
): Promise<ListPricesApplied> {
  const { db } = deps;
  const { winners, losers } = newestPerKey(rows, keyOf, (r) => r.version);
  const tally = new Tally(losers);
  const listIds = [...new Set(winners.map((w) => w.row.priceListId))];
  const skus = [...new Set(winners.map((w) => w.row.sku))];
  if (winners.length === 0) return { outcome: tally.done(), changedLists: [], fingerprints: [] };
  const known = await batchRead(db, {
    lists: db
      .select({ id: priceLists.id, currency: priceLists.currency, status: priceLists.status })
      .from(priceLists)
      .where(inArray(priceLists.id, jsonValues(listIds))),
    skus: db
      .select({ sku: products.sku })
      .from(products)
      .where(inArray(products.sku, jsonValues(skus))),
  });
  const lists = new Map(known.lists.map((l) => [l.id, l]));
  const existing = new Set(known.skus.map((p) => p.sku));
  const accepted: (RowRef<ListPriceImportRow> & { amountMinor: number })[] = [];
  for (const { rowNo, row } of winners) {
    const list = lists.get(row.priceListId);
    const minor = list ? minorUnits(row.amount, currencyExponent(list.currency)) : null;
    if (!list) tally.reject({ rowNo, column: 'priceList', reason: `unknown price list ${row.priceListId}` });
    else if (list.status !== 'active')
      tally.reject({ rowNo, column: 'priceList', reason: `price list ${row.priceListId} is archived` });
    else if (!existing.has(row.sku)) tally.reject({ rowNo, column: 'sku', reason: `unknown SKU ${row.sku}` });
    else if (minor === null || minor > MAX_MINOR)
      tally.reject({
        rowNo,
        column: 'amount',
        reason: `${row.amount} is not an amount in ${list.currency} (at most ${currencyExponent(list.currency)} decimals)`,
      });
    else accepted.push({ rowNo, row, amountMinor: minor });
  }
  if (accepted.length === 0) return { outcome: tally.done(), changedLists: [], fingerprints: [] };
  const records = accepted.map(({ row, amountMinor }) => ({
    priceListId: row.priceListId,
    sku: row.sku,
    amountMinor,
    erpVersion: row.version,
    updatedAt: at,
  }));
  const [before, ...written] = await runBatch<
    { priceListId: string; sku: string; amountMinor: number; erpVersion: number | null }[]
  >(db, [
    db
      .select()
      .from(listPrices)
      .where(
        and(
          inArray(listPrices.sku, jsonValues(accepted.map((a) => a.row.sku))),
          inArray(listPrices.priceListId, jsonValues([...new Set(accepted.map((a) => a.row.priceListId))])),
        ),
      ),
    ...chunks(records, JSON_ROWS_PER_STATEMENT).map((part) =>
      db
        .insert(listPrices)
        .select(jsonRecords(listPrices, part))
        .onConflictDoUpdate({
          target: [listPrices.priceListId, listPrices.sku],
          set: fromExcluded(listPrices, ['amountMinor', 'erpVersion', 'updatedAt']),
          setWhere: newerThanStored(listPrices.erpVersion),
        })
        .returning({ priceListId: listPrices.priceListId, sku: listPrices.sku }),
    ),
    ...extra,
  ]);
  const stored = new Map((before ?? []).map((p) => [`${p.priceListId}\u0000${p.sku}`, p]));
  const applied = new Set(
    written
      .slice(0, written.length - extra.length)
      .flatMap((part) => part.map((p) => `${p.priceListId}\u0000${p.sku}`)),
  );
  const changed = new Set<string>();
  for (const { rowNo, row, amountMinor } of accepted) {
    const was = stored.get(keyOf(row));
    if (applied.has(keyOf(row))) {
      tally.add(rowNo, 'applied');
      if (was?.amountMinor !== amountMinor) changed.add(row.priceListId);
    } else {
      const version = was && { version: was.erpVersion, same: was.amountMinor === amountMinor };
      tally.add(rowNo, notApplied(row.version, version));
    }
  }
  const changedLists = [...changed];
  const fingerprints =
    changedLists.length === 0
      ? []
      : await pricingChanged(
          deps.pricing,
          changedLists.map((priceListId) => ({ kind: 'price_list', priceListId })),
          'ERP list prices',
          at,
        );
  return { outcome: tally.done(), changedLists, fingerprints };
}

export const listPricesSpec: ImportKindSpec<ListPriceImportRow> = {
  kind: 'list-prices',
  requiredColumns: COLUMNS,
  knownColumns: COLUMNS,
  parse: parseListPrice,
  keyOf,
  versionOf: (row) => row.version,
  apply: async (deps, rows, at) => (await applyListPrices(deps, rows, at)).outcome,
};
