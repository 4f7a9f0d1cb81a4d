import { and, asc, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import type { AssortmentRule } from '../../domain/pricing/assortment';
import type { Contract, PriceRule } from '../../domain/pricing/engine';
import type { Database } from '../client';
import { assortmentRules, contracts, listPrices, priceRules, products } from '../schema';
import { chunks, inChunks, PARAMS_PER_QUERY } from './bulk';

const PRODUCTS_PER_PAGE = 20_000;

const productColumns = {
  sku: products.sku,
  family: products.family,
  categoryPath: products.categoryPath,
  brand: products.brand,
  status: products.status,
  replacementSku: products.replacementSku,
};
export type PricingProduct = {
  sku: string;
  family: string;
  categoryPath: string;
  brand: string;
  status: 'active' | 'obsolete';
  replacementSku: string | null;
};

export const ruleColumns = {
  id: priceRules.id,
  contractId: priceRules.contractId,
  targetType: priceRules.targetType,
  target: priceRules.target,
  kind: priceRules.kind,
  amountMinor: priceRules.amountMinor,
  discountBp: priceRules.discountBp,
  appliesTo: priceRules.appliesTo,
  minQuantity: priceRules.minQuantity,
  priority: priceRules.priority,
  validFrom: priceRules.validFrom,
  validTo: priceRules.validTo,
};

/** Every product, in SKU order, in pages (a 100k catalog is one big answer otherwise). */
export async function allPricingProducts(db: Database): Promise<PricingProduct[]> {
  const all: PricingProduct[] = [];
  let after: string | null = null;
  for (;;) {
    const page: PricingProduct[] = await db
      .select(productColumns)
      .from(products)
      .where(after === null ? undefined : gt(products.sku, after))
      .orderBy(asc(products.sku))
      .limit(PRODUCTS_PER_PAGE);
    all.push(...page);
    const last = page.at(-1);
    if (!last || page.length < PRODUCTS_PER_PAGE) return all;
    after = last.sku;
  }
}

export async function pricingProductsBySku(db: Database, skus: readonly string[]): Promise<PricingProduct[]> {
  return inChunks(skus, (part) =>
    db.select(productColumns).from(products).where(inArray(products.sku, part)),
  );
}

export async function contractsByIds(db: Database, ids: readonly string[]): Promise<Contract[]> {
  return inChunks(ids, (part) =>
    db
      .select({
        id: contracts.id,
        combination: contracts.combination,
        priority: contracts.priority,
        validFrom: contracts.validFrom,
        validTo: contracts.validTo,
      })
      .from(contracts)
      .where(and(inArray(contracts.id, part), eq(contracts.status, 'active'))),
  );
}

export async function rulesOfContracts(db: Database, contractIds: readonly string[]): Promise<PriceRule[]> {
  return inChunks(contractIds, (part) =>
    db.select(ruleColumns).from(priceRules).where(inArray(priceRules.contractId, part)),
  );
}

/**
 * Only the rules that can touch these products: their SKUs, families, categories (and ancestors),
 * brands, and "all". The SQL fallback path prices a page without reading a 5,000-rule contract.
 */
export async function rulesForProducts(
  db: Database,
  contractIds: readonly string[],
  items: readonly PricingProduct[],
): Promise<PriceRule[]> {
  if (contractIds.length === 0 || items.length === 0) return [];
  const categories = new Set<string>();
  for (const p of items) {
    const segments = p.categoryPath.split('/');
    for (let i = 1; i <= segments.length; i++) categories.add(segments.slice(0, i).join('/'));
  }
  const byType: ['sku' | 'family' | 'category' | 'brand', string[]][] = [
    ['sku', [...new Set(items.map((p) => p.sku))]],
    ['family', [...new Set(items.map((p) => p.family))]],
    ['category', [...categories]],
    ['brand', [...new Set(items.map((p) => p.brand))]],
  ];
  const budget = PARAMS_PER_QUERY - contractIds.length;
  const queries: SQL[] = [eq(priceRules.targetType, 'all')];
  for (const [type, values] of byType) {
    for (const part of chunks(values, Math.max(10, budget - 1))) {
      const condition = and(eq(priceRules.targetType, type), inArray(priceRules.target, part));
      if (condition) queries.push(condition);
    }
  }
  const pages = await Promise.all(
    queries.map((q) =>
      db
        .select(ruleColumns)
        .from(priceRules)
        .where(and(inArray(priceRules.contractId, [...contractIds]), or(q))),
    ),
  );
  const seen = new Map<string, PriceRule>();
  for (const r of pages.flat()) seen.set(r.id, r);
  return [...seen.values()];
}

export async function assortmentByIds(db: Database, ids: readonly string[]): Promise<AssortmentRule[]> {
  return inChunks(ids, (part) =>
    db
      .select({
        id: assortmentRules.id,
        effect: assortmentRules.effect,
        targetType: assortmentRules.targetType,
        target: assortmentRules.target,
        leadTimeDays: assortmentRules.leadTimeDays,
      })
      .from(assortmentRules)
      .where(inArray(assortmentRules.id, part)),
  );
}

/** List prices of one price list: all of them (index build) or those of some SKUs (fallback). */
export async function listPricesOf(
  db: Database,
  priceListId: string | null,
  skus?: readonly string[],
): Promise<Map<string, number>> {
  if (priceListId === null) return new Map();
  const select = () =>
    db.select({ sku: listPrices.sku, amountMinor: listPrices.amountMinor }).from(listPrices);
  const rows = skus
    ? await inChunks(
        skus,
        (part) => select().where(and(eq(listPrices.priceListId, priceListId), inArray(listPrices.sku, part))),
        PARAMS_PER_QUERY - 1,
      )
    : await select().where(eq(listPrices.priceListId, priceListId));
  return new Map(rows.map((r) => [r.sku, r.amountMinor]));
}
