import { eq } from 'drizzle-orm';
import type { InputsCatalog } from '../../domain/pricing/inputs';
import type { Database } from '../client';
import {
  assortmentRules,
  companies,
  companyPricing,
  contracts,
  customerGroupMembers,
  priceIndexes,
  priceLists,
} from '../schema';

/** Everything needed to resolve every company's pricing inputs, in one round trip. */
export async function loadInputsCatalog(db: Database): Promise<InputsCatalog> {
  const [companyRows, listRows, memberRows, contractRows, ruleRows] = await db.batch([
    db
      .select({
        id: companies.id,
        parentId: companies.parentId,
        currency: companies.defaultCurrency,
        country: companies.country,
        priceListId: companies.priceListId,
      })
      .from(companies),
    db
      .select({ id: priceLists.id, currency: priceLists.currency, isDefault: priceLists.isDefault })
      .from(priceLists)
      .where(eq(priceLists.status, 'active'))
      .orderBy(priceLists.id),
    db.select().from(customerGroupMembers),
    db
      .select({
        id: contracts.id,
        currency: contracts.currency,
        companyId: contracts.companyId,
        groupId: contracts.groupId,
      })
      .from(contracts)
      .where(eq(contracts.status, 'active')),
    db
      .select({
        id: assortmentRules.id,
        scopeType: assortmentRules.scopeType,
        companyId: assortmentRules.companyId,
        groupId: assortmentRules.groupId,
        region: assortmentRules.region,
      })
      .from(assortmentRules),
  ]);
  const defaultListByCurrency = new Map<string, string>();
  for (const l of listRows) {
    if (l.isDefault && !defaultListByCurrency.has(l.currency)) defaultListByCurrency.set(l.currency, l.id);
  }
  const groupsByCompany = new Map<string, string[]>();
  for (const m of memberRows)
    groupsByCompany.set(m.companyId, [...(groupsByCompany.get(m.companyId) ?? []), m.groupId]);
  return {
    companies: new Map(companyRows.map((c) => [c.id, c])),
    priceLists: new Map(listRows.map((l) => [l.id, l.currency])),
    defaultListByCurrency,
    groupsByCompany,
    contracts: contractRows,
    assortmentRules: ruleRows,
  };
}

export async function loadAssignments(db: Database) {
  const [assigned, indexes] = await db.batch([
    db
      .select({ companyId: companyPricing.companyId, fingerprint: companyPricing.fingerprint })
      .from(companyPricing),
    db.select({ fingerprint: priceIndexes.fingerprint }).from(priceIndexes),
  ]);
  return {
    assigned: new Map(assigned.map((a) => [a.companyId, a.fingerprint])),
    indexes: new Set(indexes.map((i) => i.fingerprint)),
  };
}

/** The read of a company's price index fingerprint, alone or within a batch. */
export const fingerprintQuery = (db: Database, companyId: string) =>
  db
    .select({ fingerprint: companyPricing.fingerprint })
    .from(companyPricing)
    .where(eq(companyPricing.companyId, companyId))
    .limit(1);

export async function fingerprintOfCompany(db: Database, companyId: string): Promise<string | undefined> {
  const [row] = await fingerprintQuery(db, companyId);
  return row?.fingerprint;
}
