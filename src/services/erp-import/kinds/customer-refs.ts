import { and, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { batchRead } from '../../../db/queries/bulk';
import { jsonValues } from '../../../db/queries/json-records';
import { companies, priceLists, users } from '../../../db/schema';
import type { RowRef } from '../kind-spec';
import type { CustomerImportRow } from './customer-rows';

/**
 * What a customers chunk refers to and must exist: parents (stored, or customers of the same chunk, which
 * are then written first), sales reps (supplier users by email) and price lists (in the customer's
 * currency). A parent that would make a customer its own ancestor is refused.
 */
export interface CustomerRefs {
  /** customers that may be written, by number: their newest row */
  accepted: Map<string, RowRef<CustomerImportRow>>;
  /** customers refused, by number, with the column at fault */
  refused: Map<string, { column: string; reason: string }>;
  /** sales rep user id by email */
  reps: Map<string, string>;
  /** the order to write them in: parents of the chunk before their children */
  levels: string[][];
}

const MAX_CHAIN = 32;

export async function customerRefs(
  db: Database,
  newest: Map<string, RowRef<CustomerImportRow>>,
): Promise<CustomerRefs> {
  const rows = [...newest.values()].map((r) => r.row);
  const parents = [...new Set(rows.flatMap((r) => (r.parentCustomerNumber ? [r.parentCustomerNumber] : [])))];
  const emails = [...new Set(rows.flatMap((r) => (r.salesRepEmail ? [r.salesRepEmail] : [])))];
  const lists = [...new Set(rows.flatMap((r) => (r.priceList ? [r.priceList] : [])))];
  const numbers = [...newest.keys()];
  const read = await batchRead(db, {
    // the parents named and all their ancestors, and the chunk's own customers as stored
    chain: db
      .select({ id: companies.id, parentId: companies.parentId, number: companies.erpCustomerNumber })
      .from(companies)
      .where(
        sql`${companies.id} IN (WITH RECURSIVE up(id, parent_id) AS (
          SELECT id, parent_id FROM companies WHERE erp_customer_number IN ${jsonValues([...parents, ...numbers])}
          UNION SELECT c.id, c.parent_id FROM companies c JOIN up ON c.id = up.parent_id
        ) SELECT id FROM up)`,
      ),
    reps: db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(isNull(users.companyId), inArray(users.email, jsonValues(emails)))),
    lists: db
      .select({ id: priceLists.id, currency: priceLists.currency, status: priceLists.status })
      .from(priceLists)
      .where(inArray(priceLists.id, jsonValues(lists))),
  });
  const storedByNumber = new Map(read.chain.flatMap((c) => (c.number ? [[c.number, c.id]] : [])));
  const storedParent = new Map(read.chain.map((c) => [c.id, c.parentId]));
  const reps = new Map(read.reps.map((u) => [u.email.toLowerCase(), u.id]));
  const priceListsById = new Map(read.lists.map((l) => [l.id, l]));
  const accepted = new Map(newest);
  const refused = new Map<string, { column: string; reason: string }>();
  const refuse = (n: string, column: string, reason: string) => {
    accepted.delete(n);
    refused.set(n, { column, reason });
  };
  for (const [n, { row }] of newest) {
    const list = row.priceList ? priceListsById.get(row.priceList) : undefined;
    if (row.salesRepEmail && !reps.has(row.salesRepEmail))
      refuse(n, 'salesRepEmail', `no supplier user ${row.salesRepEmail}`);
    else if (row.priceList && list?.status !== 'active')
      refuse(n, 'priceList', `unknown price list ${row.priceList}`);
    else if (row.priceList && list && list.currency !== row.currency)
      refuse(
        n,
        'priceList',
        `price list ${row.priceList} is in ${list.currency}, the customer buys in ${row.currency}`,
      );
  }
  // by company id, a new customer by its number: the parent the chunk gives wins over the stored one
  const idOf = (n: string) => storedByNumber.get(n) ?? `new:${n}`;
  const numberOf = new Map([...newest.keys()].map((n) => [idOf(n), n]));
  const parentOf = (id: string): string | null => {
    const n = numberOf.get(id);
    const row = n === undefined ? undefined : accepted.get(n)?.row;
    if (!row) return storedParent.get(id) ?? null;
    return row.parentCustomerNumber ? idOf(row.parentCustomerNumber) : null;
  };
  // a parent must exist or be written by this chunk, and must not descend from its child; refusing one
  // customer may orphan its children in the chunk, hence the rounds
  for (let again = true; again; ) {
    again = false;
    for (const [n, { row }] of accepted) {
      const parent = row.parentCustomerNumber;
      if (!parent) continue;
      if (!storedByNumber.has(parent) && !accepted.has(parent)) {
        refuse(n, 'parentCustomerNumber', `unknown customer ${parent}`);
        again = true;
        continue;
      }
      const self = idOf(n);
      let node = parentOf(self);
      for (let i = 0; node !== null && i < MAX_CHAIN; i++, node = parentOf(node)) {
        if (node !== self) continue;
        refuse(n, 'parentCustomerNumber', `${parent} is ${n} itself or one of its descendants`);
        again = true;
        break;
      }
    }
  }
  return { accepted, refused, reps, levels: levelsOf(accepted) };
}

/** Customers by depth within the chunk: a parent the chunk writes goes in an earlier statement. */
function levelsOf(accepted: Map<string, RowRef<CustomerImportRow>>): string[][] {
  const depth = new Map<string, number>();
  const depthOf = (n: string, seen = 0): number => {
    const known = depth.get(n);
    if (known !== undefined) return known;
    const parent = accepted.get(n)?.row.parentCustomerNumber;
    const d = parent && accepted.has(parent) && seen < MAX_CHAIN ? depthOf(parent, seen + 1) + 1 : 0;
    depth.set(n, d);
    return d;
  };
  const levels: string[][] = [];
  for (const n of accepted.keys()) {
    const d = depthOf(n);
    while (levels.length <= d) levels.push([]);
    levels[d]?.push(n);
  }
  return levels;
}
