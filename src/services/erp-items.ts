import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { fromExcluded, jsonRecords, newerThanStored } from '../db/queries/json-records';
import { auditLog, listPrices, priceIndexes, priceLists, products, stock } from '../db/schema';
import { AppError, conflict, notFound } from '../domain/errors';
import { newId } from '../lib/ids';
import type { Actor, AuditEvent } from './audit';
import type { ImportDeps, RowReject } from './erp-import/kind-spec';
import { applyListPrices, parseListPrice } from './erp-import/kinds/list-prices';
import { notApplied, type RowOutcome } from './erp-import/kinds/versioned';
import type { PricingDeps } from './pricing/deps';
import { awaitGeneration } from './pricing/reader';

/**
 * The ERP's single-record fast paths (docs/erp.md): one stock level, one list price, applied with the same
 * version rule as the imports (an older version never overwrites a newer one; the same one again changes
 * nothing) and answered with what is stored. A write that applies is audited in the same batch.
 */
export type FastPathOutcome = 'applied' | 'unchanged' | 'skipped_older';

function outcomeOf(outcome: RowOutcome): FastPathOutcome {
  if (outcome === 'applied' || outcome === 'unchanged') return outcome;
  if (outcome === 'older') return 'skipped_older';
  throw conflict(outcome.reason);
}

/** An audit row written only if the record was stored by this very write (its version, at this instant). */
function auditIfStored(db: Database, actor: Actor, event: AuditEvent, stored: ReturnType<typeof sql>) {
  const row = {
    id: newId('aud'),
    at: actor.now,
    actorId: actor.principal.id,
    actorKind: actor.principal.kind,
    actingForId: actor.actingForId ?? null,
    requestId: actor.requestId,
    ...event,
  };
  return db.insert(auditLog).select(jsonRecords(auditLog, [row], {}, sql`EXISTS (${stored})`));
}

export interface StockInput {
  warehouse: string;
  onHand: number;
  nextAvailabilityDate?: string | null;
  version: number;
}

const stockOf = (db: Database, sku: string, warehouse: string) =>
  db
    .select()
    .from(stock)
    .where(and(eq(stock.sku, sku), eq(stock.warehouse, warehouse)));

const presentStock = (row: typeof stock.$inferSelect) => ({
  sku: row.sku,
  warehouse: row.warehouse,
  onHand: row.onHand,
  nextAvailabilityDate: row.nextAvailabilityDate,
  version: row.erpVersion,
  updatedAt: row.updatedAt,
});

/** One warehouse's stock of one SKU. Stock is not in the price index: nothing to rebuild. */
export async function putStock(db: Database, actor: Actor, sku: string, input: StockInput) {
  const at = actor.now;
  const record = {
    sku,
    warehouse: input.warehouse,
    onHand: input.onHand,
    nextAvailabilityDate: input.nextAvailabilityDate ?? null,
    erpVersion: input.version,
    updatedAt: at,
  };
  const [known, before, written, , after] = await db.batch([
    db.select({ sku: products.sku }).from(products).where(eq(products.sku, sku)),
    stockOf(db, sku, input.warehouse),
    db
      .insert(stock)
      .select(jsonRecords(stock, [record], {}, sql`EXISTS (SELECT 1 FROM products p WHERE p.sku = ${sku})`))
      .onConflictDoUpdate({
        target: [stock.sku, stock.warehouse],
        set: fromExcluded(stock, ['onHand', 'nextAvailabilityDate', 'erpVersion', 'updatedAt']),
        setWhere: newerThanStored(stock.erpVersion),
      })
      .returning({ sku: stock.sku }),
    auditIfStored(
      db,
      actor,
      {
        companyId: null,
        action: 'erp.stock_put',
        targetType: 'product',
        targetId: sku,
        summary: `Stock of ${sku} in ${input.warehouse}: ${input.onHand} on hand (ERP version ${input.version})`,
      },
      sql`SELECT 1 FROM stock s WHERE s.sku = ${sku} AND s.warehouse = ${input.warehouse} AND s.erp_version = ${input.version} AND s.updated_at = ${at}`,
    ),
    stockOf(db, sku, input.warehouse),
  ]);
  if (known.length === 0) throw notFound('Product');
  const was = before[0];
  const same =
    was !== undefined &&
    was.onHand === record.onHand &&
    was.nextAvailabilityDate === record.nextAvailabilityDate;
  const outcome = outcomeOf(
    written.length > 0 ? 'applied' : notApplied(input.version, was && { version: was.erpVersion, same }),
  );
  const stored = after[0];
  if (!stored) throw new Error(`stock of ${sku} in ${input.warehouse} missing after its write`);
  return { ...presentStock(stored), outcome };
}

export interface ListPriceInput {
  priceList: string;
  amount: number | string;
  version: number;
}

/** What a rejected list price means for the caller: the field at fault and the status. */
function rejection(reject: RowReject): AppError {
  if (reject.column === 'sku') return notFound('Product');
  if (reject.column === 'version') return conflict(reject.reason);
  const path = reject.column ?? '';
  return new AppError('unprocessable', reject.reason, [{ in: 'body', path, message: reject.reason }]);
}

/**
 * One list price, in the list's currency (decimal or a number). A changed price asks for the rebuild of
 * exactly the indexes that read that list, and this isolate answers them from SQL until the rebuilt
 * generation is out, so the writer sees its price on its next read; elsewhere within the staleness bound.
 */
export async function putListPrice(deps: PricingDeps, actor: Actor, sku: string, input: ListPriceInput) {
  const parsed = parseListPrice({
    priceList: input.priceList,
    sku,
    amount: input.amount,
    version: input.version,
  });
  if (!parsed.ok)
    throw new AppError('validation_failed', parsed.reason, [
      { in: 'body', path: parsed.column ?? '', message: parsed.reason },
    ]);
  const importDeps: ImportDeps = { db: deps.db, pricing: deps };
  const at = actor.now;
  const audit: BatchItem<'sqlite'> = auditIfStored(
    deps.db,
    actor,
    {
      companyId: null,
      action: 'erp.list_price_put',
      targetType: 'price_list',
      targetId: input.priceList,
      summary: `List price of ${sku} on ${input.priceList}: ${parsed.row.amount} (ERP version ${input.version})`,
    },
    sql`SELECT 1 FROM list_prices l WHERE l.price_list_id = ${input.priceList} AND l.sku = ${sku} AND l.erp_version = ${input.version} AND l.updated_at = ${at}`,
  );
  const { outcome, fingerprints } = await applyListPrices(importDeps, [{ rowNo: 1, row: parsed.row }], at, [
    audit,
  ]);
  const [reject] = outcome.rejected;
  if (reject) throw rejection(reject);
  await awaitRebuilds(deps.db, fingerprints, at);
  const [stored] = await deps.db
    .select({
      sku: listPrices.sku,
      priceList: listPrices.priceListId,
      currency: priceLists.currency,
      amountMinor: listPrices.amountMinor,
      version: listPrices.erpVersion,
      updatedAt: listPrices.updatedAt,
    })
    .from(listPrices)
    .innerJoin(priceLists, eq(priceLists.id, listPrices.priceListId))
    .where(and(eq(listPrices.priceListId, input.priceList), eq(listPrices.sku, sku)));
  if (!stored) throw new Error(`list price of ${sku} on ${input.priceList} missing after its write`);
  const result: FastPathOutcome =
    outcome.applied > 0 ? 'applied' : outcome.unchanged > 0 ? 'unchanged' : 'skipped_older';
  return { ...stored, outcome: result };
}

/** Marks, in this isolate, the generations just requested as the ones to wait for (see the reader). */
async function awaitRebuilds(db: Database, fingerprints: readonly string[], now: number) {
  if (fingerprints.length === 0) return;
  const rows = await db
    .select({ fingerprint: priceIndexes.fingerprint, generation: priceIndexes.requestedGeneration })
    .from(priceIndexes)
    .where(inArray(priceIndexes.fingerprint, [...fingerprints]));
  for (const r of rows) awaitGeneration(r.fingerprint, r.generation, now);
}
