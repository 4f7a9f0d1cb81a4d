import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { jsonValues } from '../../../db/queries/json-records';
import { companies, sites } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import type { RowRef } from '../kind-spec';
import type { CustomerRefs } from './customer-refs';
import type { CustomerAddress, CustomerImportRow } from './customer-rows';

/** The statements of a customers chunk beyond the plain upserts, and what they are compared with. */

export const storedCompanies = (db: Database, numbers: string[]) =>
  db
    .select({
      id: companies.id,
      number: companies.erpCustomerNumber,
      name: companies.name,
      parentNumber: sql<
        string | null
      >`(SELECT p.erp_customer_number FROM companies p WHERE p.id = ${companies.parentId})`,
      currency: companies.defaultCurrency,
      country: companies.country,
      salesRepUserId: companies.salesRepUserId,
      status: companies.status,
      priceListId: companies.priceListId,
      version: companies.erpVersion,
    })
    .from(companies)
    .where(inArray(companies.erpCustomerNumber, jsonValues(numbers)));
export type StoredCompany = Awaited<ReturnType<typeof storedCompanies>>[number];
export type StoredSite = typeof sites.$inferSelect;

// the company (or its parent) of the current json_each object, by ERP customer number
export const companyNumbered = (key: string) =>
  sql.raw(`(SELECT c.id FROM companies c WHERE c.erp_customer_number = json_extract(value, '$.${key}'))`);

export const COMPANY_FIELDS = [
  'name',
  'parentId',
  'defaultCurrency',
  'country',
  'salesRepUserId',
  'status',
] as const;
export const SITE_FIELDS = [
  'name',
  'line1',
  'line2',
  'postalCode',
  'city',
  'region',
  'country',
  'status',
] as const;

type Row = RowRef<CustomerImportRow>;

export function companyRecord(refs: CustomerRefs, n: string, at: number) {
  const { row } = refs.accepted.get(n) as Row;
  return {
    id: newId('co'),
    name: row.name,
    parent: row.parentCustomerNumber,
    parentId: null,
    defaultCurrency: row.currency,
    country: row.country,
    salesRepUserId: row.salesRepEmail ? (refs.reps.get(row.salesRepEmail) ?? null) : null,
    priceListId: row.priceList ?? null,
    status: row.status,
    erpCustomerNumber: n,
    erpVersion: row.version,
    createdAt: at,
  };
}

export const sameCompany = (s: StoredCompany, c: ReturnType<typeof companyRecord>, row: CustomerImportRow) =>
  s.name === c.name &&
  s.parentNumber === row.parentCustomerNumber &&
  s.currency === c.defaultCurrency &&
  s.country === c.country &&
  s.salesRepUserId === c.salesRepUserId &&
  s.status === c.status &&
  (row.priceList === undefined || s.priceListId === row.priceList);

export const sameSite = (s: StoredSite, a: CustomerAddress, isDefault: boolean) =>
  SITE_FIELDS.every((k) => s[k] === a[k]) &&
  s.isBilling === (a.type === 'billing') &&
  s.isDefaultShipTo === isDefault;

/**
 * `priceList` is the one column whose absence keeps what is stored (a supplier may set a customer's list
 * here too): set by its own statement on the customers just written at exactly this version.
 */
export function priceListStatement(db: Database, rows: { n: string; pl: string | null; v: number }[]) {
  return db
    .update(companies)
    .set({ priceListId: sql`json_extract(j.value, '$.pl')` })
    .from(sql`json_each(${JSON.stringify(rows)}) AS j`)
    .where(
      sql`${companies.erpCustomerNumber} = json_extract(j.value, '$.n')
        AND ${companies.erpVersion} = json_extract(j.value, '$.v')
        AND ${companies.priceListId} IS NOT json_extract(j.value, '$.pl')`,
    )
    .returning({ number: companies.erpCustomerNumber });
}

/** Another default ship-to of a customer stops being one when the ERP's default was just stored. */
export function clearOtherDefaults(db: Database, defaults: { n: string; a: string; v: number }[]) {
  return db
    .update(sites)
    .set({ isDefaultShipTo: false })
    .where(
      sql`${sites.id} IN (SELECT s.id FROM json_each(${JSON.stringify(defaults)}) j
        JOIN companies c ON c.erp_customer_number = json_extract(j.value, '$.n')
        JOIN sites d ON d.company_id = c.id AND d.erp_address_id = json_extract(j.value, '$.a')
          AND d.is_default_ship_to = 1 AND d.erp_version = json_extract(j.value, '$.v')
        JOIN sites s ON s.company_id = c.id AND s.id <> d.id AND s.is_default_ship_to = 1)`,
    );
}
