import { and, asc, eq, gt, inArray, isNotNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../client';
import {
  assortmentRules,
  categories,
  companies,
  contracts,
  customerGroupMembers,
  customerGroups,
  listPrices,
  priceLists,
  priceRules,
  products,
} from '../schema';
import { chunks, jsonRows, PARAMS_PER_QUERY, runBatch } from './bulk';

export type PriceListRow = typeof priceLists.$inferSelect;
export type PriceRuleRow = typeof priceRules.$inferSelect;
export type AssortmentRuleRow = typeof assortmentRules.$inferSelect;

export type CheckedKind = 'sku' | 'family' | 'category' | 'brand';

function existing(db: Database, kind: CheckedKind, values: string[]) {
  switch (kind) {
    case 'sku':
      return db.select({ value: products.sku }).from(products).where(inArray(products.sku, values));
    case 'family':
      return db
        .selectDistinct({ value: products.family })
        .from(products)
        .where(inArray(products.family, values));
    case 'brand':
      return db
        .selectDistinct({ value: products.brand })
        .from(products)
        .where(inArray(products.brand, values));
    case 'category':
      return db.select({ value: categories.path }).from(categories).where(inArray(categories.path, values));
  }
}

/** Which of the wanted SKUs, families, categories and brands exist: ≤ 90 values per query, one round trip. */
export async function existingTargets(
  db: Database,
  wanted: ReadonlyMap<CheckedKind, ReadonlySet<string>>,
): Promise<Set<string>> {
  const queries: BatchItem<'sqlite'>[] = [];
  const kinds: CheckedKind[] = [];
  for (const [kind, values] of wanted) {
    for (const chunk of chunks([...values], PARAMS_PER_QUERY)) {
      queries.push(existing(db, kind, chunk));
      kinds.push(kind);
    }
  }
  const results = await runBatch<{ value: string }[]>(db, queries);
  return new Set(results.flatMap((rows, i) => rows.map((r) => `${kinds[i]}:${r.value}`)));
}

/** The companies among `ids` a viewer may name: all for platform admins, their accounts for sales reps. */
export async function visibleCompanies(db: Database, ids: readonly string[], repId: string | null) {
  const queries = chunks([...new Set(ids)], PARAMS_PER_QUERY).map((chunk) =>
    db
      .select({ id: companies.id, name: companies.name, defaultCurrency: companies.defaultCurrency })
      .from(companies)
      .where(and(inArray(companies.id, chunk), repId ? eq(companies.salesRepUserId, repId) : undefined)),
  );
  const rows = await runBatch<{ id: string; name: string; defaultCurrency: string }[]>(db, queries);
  return new Map(rows.flat().map((r) => [r.id, r]));
}

export async function getPriceList(db: Database, id: string): Promise<PriceListRow | undefined> {
  const [row] = await db.select().from(priceLists).where(eq(priceLists.id, id)).limit(1);
  return row;
}

export const listPriceLists = (db: Database) =>
  db.select().from(priceLists).orderBy(asc(priceLists.currency), asc(priceLists.name), asc(priceLists.id));

export const pricesPage = (db: Database, priceListId: string, afterSku: string | undefined, limit: number) =>
  db
    .select({ sku: listPrices.sku, amountMinor: listPrices.amountMinor, updatedAt: listPrices.updatedAt })
    .from(listPrices)
    .where(and(eq(listPrices.priceListId, priceListId), afterSku ? gt(listPrices.sku, afterSku) : undefined))
    .orderBy(asc(listPrices.sku))
    .limit(limit);

export async function getGroup(db: Database, id: string) {
  const [row] = await db.select().from(customerGroups).where(eq(customerGroups.id, id)).limit(1);
  return row;
}

const memberCount = sql<number>`(SELECT count(*) FROM customer_group_members m WHERE m.group_id = customer_groups.id)`;

export const listGroups = (db: Database) =>
  db
    .select({
      id: customerGroups.id,
      name: customerGroups.name,
      memberCount,
      updatedAt: customerGroups.updatedAt,
    })
    .from(customerGroups)
    .orderBy(asc(customerGroups.name), asc(customerGroups.id));

export const groupMembers = (db: Database, groupId: string) =>
  db
    .select({ id: companies.id, name: companies.name })
    .from(customerGroupMembers)
    .innerJoin(companies, eq(companies.id, customerGroupMembers.companyId))
    .where(eq(customerGroupMembers.groupId, groupId))
    .orderBy(asc(companies.name), asc(companies.id));

/** Whether any contract (even archived: it still references the group) or assortment rule uses the group. */
export async function groupInUse(db: Database, groupId: string): Promise<boolean> {
  const [used] = await db
    .select({ one: sql<number>`1` })
    .from(contracts)
    .where(eq(contracts.groupId, groupId))
    .union(
      db.select({ one: sql<number>`1` }).from(assortmentRules).where(eq(assortmentRules.groupId, groupId)),
    )
    .limit(1);
  return used !== undefined;
}

const repCompanyIds = (db: Database, repId: string) =>
  db.select({ id: companies.id }).from(companies).where(eq(companies.salesRepUserId, repId));

const contractFields = {
  id: contracts.id,
  name: contracts.name,
  currency: contracts.currency,
  companyId: contracts.companyId,
  groupId: contracts.groupId,
  combination: contracts.combination,
  priority: contracts.priority,
  validFrom: contracts.validFrom,
  validTo: contracts.validTo,
  status: contracts.status,
  erpCustomerNumber: contracts.erpCustomerNumber,
  createdAt: contracts.createdAt,
  updatedAt: contracts.updatedAt,
  ruleCount: sql<number>`(SELECT count(*) FROM price_rules r WHERE r.contract_id = contracts.id)`,
  // the sales rep of the contract's company, to decide access (never returned)
  companyRepId: sql<
    string | null
  >`(SELECT c.sales_rep_user_id FROM companies c WHERE c.id = contracts.company_id)`,
};

export type ContractView = NonNullable<Awaited<ReturnType<typeof getContract>>>;

export async function getContract(db: Database, id: string) {
  const [row] = await db.select(contractFields).from(contracts).where(eq(contracts.id, id)).limit(1);
  return row;
}

export interface ContractFilter {
  companyId?: string;
  groupId?: string;
  status?: 'active' | 'archived';
  /** null: everything (platform admin); a rep sees their accounts' contracts and every group contract */
  repId: string | null;
  after?: { name: string; id: string };
  limit: number;
}

export const listContracts = (db: Database, f: ContractFilter) =>
  db
    .select(contractFields)
    .from(contracts)
    .where(
      and(
        f.repId
          ? or(isNotNull(contracts.groupId), inArray(contracts.companyId, repCompanyIds(db, f.repId)))
          : undefined,
        f.companyId ? eq(contracts.companyId, f.companyId) : undefined,
        f.groupId ? eq(contracts.groupId, f.groupId) : undefined,
        f.status ? eq(contracts.status, f.status) : undefined,
        f.after
          ? or(
              gt(contracts.name, f.after.name),
              and(eq(contracts.name, f.after.name), gt(contracts.id, f.after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(contracts.name), asc(contracts.id))
    .limit(f.limit);

export async function getRule(
  db: Database,
  contractId: string,
  id: string,
): Promise<PriceRuleRow | undefined> {
  const [row] = await db
    .select()
    .from(priceRules)
    .where(and(eq(priceRules.contractId, contractId), eq(priceRules.id, id)))
    .limit(1);
  return row;
}

export const rulesPage = (db: Database, contractId: string, afterId: string | undefined, limit: number) =>
  db
    .select()
    .from(priceRules)
    .where(and(eq(priceRules.contractId, contractId), afterId ? gt(priceRules.id, afterId) : undefined))
    .orderBy(asc(priceRules.id))
    .limit(limit);

export async function getAssortmentRule(db: Database, id: string) {
  const [row] = await db
    .select({
      rule: assortmentRules,
      companyRepId: sql<
        string | null
      >`(SELECT c.sales_rep_user_id FROM companies c WHERE c.id = assortment_rules.company_id)`,
    })
    .from(assortmentRules)
    .where(eq(assortmentRules.id, id))
    .limit(1);
  return row;
}

export interface AssortmentFilter {
  companyId?: string;
  groupId?: string;
  region?: string;
  repId: string | null;
  afterId?: string;
  limit: number;
}

export const listAssortmentRules = (db: Database, f: AssortmentFilter) => {
  const conditions: (SQL | undefined)[] = [
    f.repId
      ? or(
          ne(assortmentRules.scopeType, 'company'),
          inArray(assortmentRules.companyId, repCompanyIds(db, f.repId)),
        )
      : undefined,
    f.companyId ? eq(assortmentRules.companyId, f.companyId) : undefined,
    f.groupId ? eq(assortmentRules.groupId, f.groupId) : undefined,
    f.region ? eq(assortmentRules.region, f.region) : undefined,
    f.afterId ? gt(assortmentRules.id, f.afterId) : undefined,
  ];
  return db
    .select()
    .from(assortmentRules)
    .where(and(...conditions))
    .orderBy(asc(assortmentRules.id))
    .limit(f.limit);
};

export const upsertPrices = (db: Database, rows: readonly (typeof listPrices.$inferInsert)[]) =>
  db
    .insert(listPrices)
    .select(jsonRows(listPrices, rows))
    .onConflictDoUpdate({
      target: [listPrices.priceListId, listPrices.sku],
      set: { amountMinor: sql`excluded.amount_minor`, updatedAt: sql`excluded.updated_at` },
    });

export const insertRules = (db: Database, rows: readonly PriceRuleRow[]) =>
  db.insert(priceRules).select(jsonRows(priceRules, rows));
