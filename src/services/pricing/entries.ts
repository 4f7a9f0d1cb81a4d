import {
  assortmentByIds,
  contractsByIds,
  listPricesOf,
  pricingProductsBySku,
  rulesForProducts,
} from '../../db/queries/pricing-data';
import { compileEntries, visibleSkus } from '../../domain/pricing/compile';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { inputsOf } from './build';
import type { PricingDeps } from './deps';
import { lookupEntries } from './reader';

export interface CustomerEntries {
  /** null: the SKU does not exist or the customer cannot see it */
  entries: Map<string, CatalogEntry | null>;
  currency: string;
  source: 'index' | 'sql';
  /** the index generation the answer came from; null when computed from SQL */
  generation: number | null;
}

/**
 * A customer's view of some SKUs: from the price index when it is current, else computed from SQL with
 * the very same engine (and a rebuild requested). `source: 'sql'` forces the SQL path (benchmark).
 */
export async function customerEntries(
  deps: PricingDeps,
  fingerprint: string,
  skus: readonly string[],
  now: number,
  options: { source?: 'auto' | 'sql' } = {},
): Promise<CustomerEntries> {
  if (options.source !== 'sql') {
    const found = await lookupEntries(deps, fingerprint, skus, now);
    if (found.hit) {
      return {
        entries: found.entries,
        currency: found.pointer.currency,
        source: 'index',
        generation: found.generation,
      };
    }
  }
  return computeFromSql(deps, fingerprint, skus, now);
}

async function computeFromSql(
  deps: PricingDeps,
  fingerprint: string,
  skus: readonly string[],
  now: number,
): Promise<CustomerEntries> {
  const { db } = deps;
  const inputs = await inputsOf(db, fingerprint);
  const [items, contracts, assortment, listPrices] = await Promise.all([
    pricingProductsBySku(db, skus),
    contractsByIds(db, inputs.contractIds),
    assortmentByIds(db, inputs.assortmentRuleIds),
    listPricesOf(db, inputs.priceListId, skus),
  ]);
  const known = new Set(items.map((p) => p.sku));
  const replacements = [
    ...new Set(
      items.flatMap((p) => (p.replacementSku && !known.has(p.replacementSku) ? [p.replacementSku] : [])),
    ),
  ];
  const [rules, replacementItems] = await Promise.all([
    rulesForProducts(db, inputs.contractIds, items),
    pricingProductsBySku(db, replacements),
  ]);
  const visibleElsewhere = visibleSkus(replacementItems, assortment);
  const { entries } = compileEntries(items, { contracts, rules, assortment, listPrices }, now, (sku) =>
    visibleElsewhere.has(sku),
  );
  const bySku = new Map(entries.map((e) => [e.sku, e]));
  return {
    entries: new Map(skus.map((sku) => [sku, bySku.get(sku) ?? null])),
    currency: inputs.currency,
    source: 'sql',
    generation: null,
  };
}
