import { and, eq, ne } from 'drizzle-orm';
import { chunks, JSON_ROWS_PER_STATEMENT, runBatch } from '../../db/queries/bulk';
import { getPriceList, type PriceListRow, upsertPrices } from '../../db/queries/pricing-admin';
import { listPrices, priceLists } from '../../db/schema';
import { conflict, notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert, describeChanges } from '../audit';
import type { PricingDeps } from '../pricing/deps';
import { changed, type Issue, invalidate, issue, rejectInvalid, rejectUnknown } from './common';
import { missingTargets } from './targets';

export interface PriceListInput {
  name: string;
  currency: string;
  isDefault?: boolean;
}

/** At most one default list per currency: making one the default clears the others, in the same batch. */
const clearOtherDefaults = (deps: PricingDeps, currency: string, keepId: string, now: number) =>
  deps.db
    .update(priceLists)
    .set({ isDefault: false, updatedAt: now })
    .where(and(eq(priceLists.currency, currency), eq(priceLists.isDefault, true), ne(priceLists.id, keepId)));

async function activeList(deps: PricingDeps, id: string): Promise<PriceListRow> {
  const list = await getPriceList(deps.db, id);
  if (!list) throw notFound('Price list');
  if (list.status === 'archived') throw conflict(`Price list ${list.name} is archived`);
  return list;
}

export async function createPriceList(deps: PricingDeps, actor: Actor, input: PriceListInput) {
  const { db } = deps;
  const id = newId('pl');
  await db.batch([
    db.insert(priceLists).values({ ...input, id, createdAt: actor.now, updatedAt: actor.now }),
    ...(input.isDefault ? [clearOtherDefaults(deps, input.currency, id, actor.now)] : []),
    auditInsert(db, actor, {
      companyId: null,
      action: 'price_list.create',
      targetType: 'price_list',
      targetId: id,
      summary: `Created price list ${input.name} (${input.currency}${input.isDefault ? ', default' : ''})`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `price list ${id} created`, actor.now);
  return getPriceList(db, id);
}

export async function updatePriceList(
  deps: PricingDeps,
  actor: Actor,
  id: string,
  changes: Partial<PriceListInput>,
) {
  const { db } = deps;
  const existing = await activeList(deps, id);
  const merged = { ...existing, ...changes };
  const reassigns = changed(existing, merged, ['isDefault', 'currency']);
  await db.batch([
    db
      .update(priceLists)
      .set({ ...changes, updatedAt: actor.now })
      .where(eq(priceLists.id, id)),
    ...(merged.isDefault && reassigns ? [clearOtherDefaults(deps, merged.currency, id, actor.now)] : []),
    auditInsert(db, actor, {
      companyId: null,
      action: 'price_list.update',
      targetType: 'price_list',
      targetId: id,
      summary: `Updated price list ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  await invalidate(deps, reassigns ? [{ kind: 'assignments' }] : [], `price list ${id} updated`, actor.now);
  return getPriceList(db, id);
}

/** Archived lists price nobody: companies that named one fall back to their currency's default list. */
export async function archivePriceList(deps: PricingDeps, actor: Actor, id: string) {
  const { db } = deps;
  const existing = await activeList(deps, id);
  await db.batch([
    db
      .update(priceLists)
      .set({ status: 'archived', isDefault: false, updatedAt: actor.now })
      .where(eq(priceLists.id, id)),
    auditInsert(db, actor, {
      companyId: null,
      action: 'price_list.archive',
      targetType: 'price_list',
      targetId: id,
      summary: `Archived price list ${existing.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'assignments' }], `price list ${id} archived`, actor.now);
}

export interface PriceInput {
  sku: string;
  amountMinor: number;
}

/** Upserts list prices; all or nothing: a duplicate (400) or unknown SKU (422) anywhere writes none. */
export async function setPrices(deps: PricingDeps, actor: Actor, id: string, prices: readonly PriceInput[]) {
  const { db } = deps;
  const list = await activeList(deps, id);
  const seen = new Set<string>();
  const duplicates: Issue[] = [];
  prices.forEach((p, i) => {
    if (seen.has(p.sku)) duplicates.push(issue(`prices.${i}.sku`, `SKU "${p.sku}" appears more than once`));
    seen.add(p.sku);
  });
  rejectInvalid(duplicates);
  const refs = prices.map((p, i) => ({ path: `prices.${i}.sku`, kind: 'sku' as const, value: p.sku }));
  rejectUnknown('Some SKUs do not exist', await missingTargets(db, refs));
  await runBatch(db, [
    ...chunks(prices, JSON_ROWS_PER_STATEMENT).map((chunk) =>
      upsertPrices(
        db,
        chunk.map((p) => ({ priceListId: id, sku: p.sku, amountMinor: p.amountMinor, updatedAt: actor.now })),
      ),
    ),
    auditInsert(db, actor, {
      companyId: null,
      action: 'price_list.prices_upsert',
      targetType: 'price_list',
      targetId: id,
      summary: `Set ${prices.length} price(s) on price list ${list.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'price_list', priceListId: id }], `prices of ${id} changed`, actor.now);
  return { count: prices.length };
}

export async function deletePrice(deps: PricingDeps, actor: Actor, id: string, sku: string) {
  const { db } = deps;
  const list = await activeList(deps, id);
  const where = and(eq(listPrices.priceListId, id), eq(listPrices.sku, sku));
  const [price] = await db.select({ sku: listPrices.sku }).from(listPrices).where(where).limit(1);
  if (!price) throw notFound('Price');
  await db.batch([
    db.delete(listPrices).where(where),
    auditInsert(db, actor, {
      companyId: null,
      action: 'price_list.price_delete',
      targetType: 'price_list',
      targetId: id,
      summary: `Removed the price of ${sku} from price list ${list.name}`,
    }),
  ]);
  await invalidate(deps, [{ kind: 'price_list', priceListId: id }], `prices of ${id} changed`, actor.now);
}
