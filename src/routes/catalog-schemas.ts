import * as v from 'valibot';
import type { ProductRow } from '../db/queries/catalog';
import type { CatalogEntry } from '../domain/pricing/evaluate';

/** Response shapes of the catalog and how a product plus its customer entry become JSON. */
export const Product = v.object({
  sku: v.string(),
  name: v.string(),
  description: v.string(),
  family: v.string(),
  categoryPath: v.string(),
  brand: v.string(),
  attributes: v.record(v.string(), v.union([v.string(), v.number(), v.boolean()])),
  unitOfMeasure: v.string(),
  packSize: v.number(),
  minOrderQty: v.number(),
  orderMultiple: v.number(),
  status: v.picklist(['active', 'obsolete']),
  replacementSku: v.nullable(v.string()),
  unspsc: v.nullable(v.string()),
  manufacturerPartNumber: v.nullable(v.string()),
  taxClass: v.string(),
});

export const Price = v.object({
  currency: v.string(),
  unitMinor: v.number(),
  listMinor: v.nullable(v.number()),
  ruleId: v.nullable(v.string()),
  ruleIds: v.array(v.string()),
  tierMinQuantity: v.number(),
  tiers: v.array(
    v.object({ minQuantity: v.number(), unitMinor: v.number(), ruleId: v.nullable(v.string()) }),
  ),
});

/** Present for a customer view; `price` only with `prices.view`. */
export const CustomerFields = v.object({
  orderable: v.boolean(),
  unavailableReason: v.nullable(v.picklist(['obsolete', 'not_orderable', 'no_price'])),
  leadTimeDays: v.number(),
  replacement: v.nullable(v.string()),
  price: v.optional(v.nullable(Price)),
});

export const CatalogProduct = v.object({ ...Product.entries, ...v.partial(CustomerFields).entries });

// the ERP's record version is bookkeeping, not a product fact
export const presentProduct = ({ updatedAt: _updatedAt, erpVersion: _erpVersion, ...product }: ProductRow) =>
  product;

export function presentPrice(entry: CatalogEntry, currency: string): v.InferOutput<typeof Price> | null {
  const first = entry.ladder[0];
  if (!first) return null;
  return {
    currency,
    unitMinor: first.unitMinor,
    listMinor: entry.listMinor,
    ruleId: first.ruleId,
    ruleIds: first.ruleIds,
    tierMinQuantity: first.tierMinQuantity,
    tiers: entry.ladder.map((s) => ({
      minQuantity: s.fromQuantity,
      unitMinor: s.unitMinor,
      ruleId: s.ruleId,
    })),
  };
}

export function customerFields(entry: CatalogEntry, currency: string, showPrices: boolean) {
  return {
    orderable: entry.orderable,
    unavailableReason: entry.reason,
    leadTimeDays: entry.leadTimeDays,
    replacement: entry.replacementSku,
    ...(showPrices ? { price: presentPrice(entry, currency) } : {}),
  };
}
