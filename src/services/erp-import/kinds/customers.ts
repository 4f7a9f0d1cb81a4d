import { inArray, sql } from 'drizzle-orm';
import { chunks, JSON_ROWS_PER_STATEMENT } from '../../../db/queries/bulk';
import { fromExcluded, jsonRecords, jsonValues, newerThanStored } from '../../../db/queries/json-records';
import { companies, sites } from '../../../db/schema';
import { newId } from '../../../lib/ids';
import { clearAssignmentCache } from '../../pricing/assignments';
import { pricingChanged } from '../../pricing/invalidation';
import type { ImportKindSpec, RowRef } from '../kind-spec';
import { BatchPlan } from './batch-plan';
import { customerRefs } from './customer-refs';
import {
  CUSTOMER_OPTIONAL,
  CUSTOMER_REQUIRED,
  type CustomerImportRow,
  customerKey,
  parseCustomer,
} from './customer-rows';
import {
  COMPANY_FIELDS,
  clearOtherDefaults,
  companyNumbered,
  companyRecord,
  priceListStatement,
  SITE_FIELDS,
  type StoredCompany,
  type StoredSite,
  sameCompany,
  sameSite,
  storedCompanies,
} from './customer-statements';
import { newestPerKey, notApplied, type RowOutcome, Tally } from './versioned';

type Row = RowRef<CustomerImportRow>;

/** Of the two parts of a row (company, address): applied beats a reject beats older beats unchanged. */
function combine(a: RowOutcome, b: RowOutcome | null): RowOutcome {
  if (b === null || a === 'applied') return a;
  if (b === 'applied' || typeof b === 'object') return b;
  if (typeof a === 'object') return a;
  return a === 'older' || b === 'older' ? 'older' : 'unchanged';
}

export const customersSpec: ImportKindSpec<CustomerImportRow> = {
  kind: 'customers',
  requiredColumns: CUSTOMER_REQUIRED,
  knownColumns: [...CUSTOMER_REQUIRED, ...CUSTOMER_OPTIONAL],
  parse: parseCustomer,
  keyOf: customerKey,
  versionOf: (row) => row.version,
  async apply(deps, rows, at) {
    const { db } = deps;
    const { winners, losers } = newestPerKey(rows, customerKey, (r) => r.version);
    const tally = new Tally(losers);
    // the company part of a customer comes from its newest row (of equal versions, the later one)
    const newest = new Map<string, Row>();
    for (const w of winners) {
      const held = newest.get(w.row.customerNumber);
      if (
        !held ||
        w.row.version > held.row.version ||
        (w.row.version === held.row.version && w.rowNo > held.rowNo)
      )
        newest.set(w.row.customerNumber, w);
    }
    if (newest.size === 0) return tally.done();
    const refs = await customerRefs(db, newest);
    const go: Row[] = [];
    for (const w of winners) {
      const refused = refs.refused.get(w.row.customerNumber);
      if (refused) tally.reject({ rowNo: w.rowNo, ...refused });
      else go.push(w);
    }
    if (go.length === 0) return tally.done();
    const numbers = [...refs.accepted.keys()];
    const records = new Map(numbers.map((n) => [n, companyRecord(refs, n, at)]));
    // a customer's default ship-to: of its address rows that say so, the newest (winners are in row order)
    const defaults = new Map<string, { n: string; a: string; v: number }>();
    for (const { row } of go) {
      const held = defaults.get(row.customerNumber);
      if (row.address?.isDefault && (!held || row.version >= held.v))
        defaults.set(row.customerNumber, { n: row.customerNumber, a: row.address.addressId, v: row.version });
    }
    const isDefault = (row: CustomerImportRow) =>
      defaults.get(row.customerNumber)?.a === row.address?.addressId;
    const addresses = go.flatMap(({ row }) =>
      row.address
        ? [
            {
              ...row.address,
              id: newId('site'),
              customerNumber: row.customerNumber,
              erpAddressId: row.address.addressId,
              isDefaultShipTo: isDefault(row),
              isBilling: row.address.type === 'billing',
              erpVersion: row.version,
              createdAt: at,
            },
          ]
        : [],
    );
    const listed = numbers.flatMap((n) => {
      const { row } = refs.accepted.get(n) as Row;
      return row.priceList === undefined ? [] : [{ n, pl: row.priceList, v: row.version }];
    });
    const plan = new BatchPlan()
      .add('companiesBefore', [storedCompanies(db, numbers)])
      .add('sitesBefore', [
        db
          .select()
          .from(sites)
          .where(
            inArray(
              sites.companyId,
              sql`(SELECT id FROM companies WHERE erp_customer_number IN ${jsonValues(numbers)})`,
            ),
          ),
      ])
      // parents the chunk writes go first, so that a child's lookup of its parent finds it
      .add(
        'companies',
        refs.levels.map((level) =>
          db
            .insert(companies)
            .select(
              jsonRecords(
                companies,
                level.map((n) => records.get(n) as object),
                { parentId: companyNumbered('parent') },
              ),
            )
            .onConflictDoUpdate({
              target: companies.erpCustomerNumber,
              set: fromExcluded(companies, [...COMPANY_FIELDS, 'erpVersion']),
              setWhere: newerThanStored(companies.erpVersion),
            })
            .returning({ id: companies.id, number: companies.erpCustomerNumber }),
        ),
      )
      .add('priceLists', listed.length > 0 ? [priceListStatement(db, listed)] : [])
      .add(
        'sites',
        chunks(addresses, JSON_ROWS_PER_STATEMENT).map((part) =>
          db
            .insert(sites)
            .select(jsonRecords(sites, part, { companyId: companyNumbered('customerNumber') }))
            .onConflictDoUpdate({
              target: [sites.companyId, sites.erpAddressId],
              set: fromExcluded(sites, [...SITE_FIELDS, 'isDefaultShipTo', 'isBilling', 'erpVersion']),
              setWhere: newerThanStored(sites.erpVersion),
            })
            .returning({ companyId: sites.companyId, addressId: sites.erpAddressId }),
        ),
      )
      .add('defaults', defaults.size > 0 ? [clearOtherDefaults(db, [...defaults.values()])] : []);
    const done = await plan.run(db);
    const before = new Map(done.rows<StoredCompany>('companiesBefore').map((c) => [c.number, c]));
    const written = done.rows<{ id: string; number: string }>('companies');
    const appliedCompanies = new Set(written.map((c) => c.number));
    const listChanged = new Set(done.rows<{ number: string }>('priceLists').map((c) => c.number));
    const idOf = new Map([...before.values()].map((c) => [c.number, c.id]));
    for (const c of written) idOf.set(c.number, c.id);
    const siteKey = (companyId: string | undefined, addressId: string | null) =>
      `${companyId}\u0000${addressId}`;
    const sitesBefore = new Map(
      done.rows<StoredSite>('sitesBefore').map((s) => [siteKey(s.companyId, s.erpAddressId), s]),
    );
    const appliedSites = new Set(
      done
        .rows<{ companyId: string; addressId: string }>('sites')
        .map((s) => siteKey(s.companyId, s.addressId)),
    );
    const companyOutcome = new Map<string, RowOutcome>();
    let assignments = false;
    for (const [n, { row }] of refs.accepted) {
      const stored = before.get(n);
      const record = records.get(n) as ReturnType<typeof companyRecord>;
      if (appliedCompanies.has(n) || listChanged.has(n)) {
        companyOutcome.set(n, 'applied');
        assignments ||=
          listChanged.has(n) ||
          (stored !== undefined &&
            (stored.parentNumber !== row.parentCustomerNumber ||
              stored.currency !== row.currency ||
              stored.country !== row.country));
      } else {
        const version = stored && { version: stored.version, same: sameCompany(stored, record, row) };
        companyOutcome.set(n, notApplied(row.version, version));
      }
    }
    for (const { rowNo, row } of go) {
      const newestRow = refs.accepted.get(row.customerNumber);
      const own = newestRow?.rowNo === rowNo ? (companyOutcome.get(row.customerNumber) ?? 'older') : null;
      let address: RowOutcome | null = null;
      if (row.address) {
        const key = siteKey(idOf.get(row.customerNumber), row.address.addressId);
        const stored = sitesBefore.get(key);
        address = appliedSites.has(key)
          ? 'applied'
          : notApplied(
              row.version,
              stored && { version: stored.erpVersion, same: sameSite(stored, row.address, isDefault(row)) },
            );
      }
      tally.add(rowNo, own === null ? (address ?? 'unchanged') : combine(own, address));
    }
    if (assignments) {
      await pricingChanged(deps.pricing, [{ kind: 'assignments' }], 'ERP customers import', at);
      // this isolate reads the new assignments at once; others within ASSIGNMENT_CACHE_MS
      clearAssignmentCache();
    }
    return tally.done();
  },
};
