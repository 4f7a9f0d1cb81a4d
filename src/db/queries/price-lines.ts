import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Database } from '../client';
import { contracts, priceRules, products } from '../schema';
import { inChunks } from './bulk';
import { ruleColumns } from './pricing-data';

export interface OrderingRules {
  sku: string;
  minOrderQty: number;
  orderMultiple: number;
}

export async function orderingRulesOf(
  db: Database,
  skus: readonly string[],
): Promise<Map<string, OrderingRules>> {
  const rows = await inChunks(skus, (part) =>
    db
      .select({
        sku: products.sku,
        minOrderQty: products.minOrderQty,
        orderMultiple: products.orderMultiple,
      })
      .from(products)
      .where(inArray(products.sku, part)),
  );
  return new Map(rows.map((p) => [p.sku, p]));
}

export interface RuleExplanation {
  id: string;
  contractId: string;
  contractName: string;
  targetType: string;
  target: string | null;
  kind: 'net_price' | 'discount';
  amountMinor: number | null;
  discountBp: number | null;
  appliesTo: 'list' | 'contract';
  minQuantity: number;
}

export async function explainRules(
  db: Database,
  ids: readonly string[],
): Promise<Map<string, RuleExplanation>> {
  const rows = await inChunks(ids, (part) =>
    db
      .select({ ...ruleColumns, contractName: contracts.name })
      .from(priceRules)
      .innerJoin(contracts, eq(contracts.id, priceRules.contractId))
      .where(inArray(priceRules.id, part)),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** SKUs sharing the first characters of a mistyped one: the candidates for "did you mean". */
export async function skusNear(db: Database, sku: string, limit = 500): Promise<string[]> {
  const prefix = sku.slice(0, 3).toUpperCase();
  const rows = await db
    .select({ sku: products.sku })
    .from(products)
    .where(and(gte(products.sku, prefix), lt(products.sku, `${prefix}\uffff`)))
    .orderBy(asc(products.sku))
    .limit(limit);
  return rows.map((r) => r.sku);
}
