import { inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { batchRead, chunks, JSON_ROWS_PER_STATEMENT } from '../../../db/queries/bulk';
import { fromExcluded, jsonRecords, jsonValues, newerThanStored } from '../../../db/queries/json-records';
import { companies, contracts, erpState, priceRules, products } from '../../../db/schema';
import { currencyExponent } from '../../../domain/money';
import { newId } from '../../../lib/ids';
import { clearAssignmentCache } from '../../pricing/assignments';
import { type PricingChange, pricingChanged } from '../../pricing/invalidation';
import type { ImportKindSpec, RowRef } from '../kind-spec';
import { BatchPlan } from './batch-plan';
import { minorUnits } from './cells';
import {
  CONTRACT_PRICE_OPTIONAL,
  CONTRACT_PRICE_REQUIRED,
  type ContractPriceImportRow,
  contractPriceKey,
  parseContractPrice,
} from './contract-price-rows';
import { newestPerKey, notApplied, type RowOutcome, Tally } from './versioned';

/**
 * Contract prices live on ONE contract per customer that the ERP manages (`contracts.erp_customer_number`,
 * created with the customer's first row; the admin API cannot edit it), one price rule per (customer,
 * SKU, kind, minQuantity) keyed by `price_rules.erp_key`. A deleted rule leaves its version behind in
 * `erp_state` (a tombstone), so an older row arriving later cannot bring it back.
 */
const TOMBSTONE = 'contract-price-deleted:';
const MAX_MINOR = 1e12;

type Row = RowRef<ContractPriceImportRow>;

// the customer's ERP contract, for the current json_each object (a rule row)
const contractOfRecord = sql.raw(
  `(SELECT k.id FROM contracts k WHERE k.erp_customer_number = json_extract(value, '$.customerNumber'))`,
);
// no deletion of the rule at this version or a newer one (json_each.value: erp_state has a "value" too)
const notDeletedSince = sql.raw(
  `NOT EXISTS (SELECT 1 FROM erp_state t WHERE t.key = '${TOMBSTONE}' || json_extract(json_each.value, '$.erpKey')
    AND CAST(t.value AS INTEGER) >= json_extract(json_each.value, '$.erpVersion'))`,
);
type StoredRule = typeof priceRules.$inferSelect;
type RuleRecord = ReturnType<typeof ruleRecord>;

const ruleRecord = (row: ContractPriceImportRow, amountMinor: number | null, at: number) => ({
  id: newId('rule'),
  customerNumber: row.customerNumber,
  contractId: null,
  targetType: 'sku',
  target: row.sku,
  kind: row.kind === 'net' ? 'net_price' : 'discount',
  amountMinor,
  discountBp: row.discountBp,
  appliesTo: row.appliesTo,
  minQuantity: row.minQuantity,
  priority: 0,
  validFrom: row.validFrom,
  validTo: row.validTo,
  label: null,
  erpKey: contractPriceKey(row),
  erpVersion: row.version,
  createdAt: at,
  updatedAt: at,
});

const RULE_CONTENT = ['kind', 'amountMinor', 'discountBp', 'appliesTo', 'validFrom', 'validTo'] as const;
const sameRule = (s: StoredRule, r: RuleRecord) => RULE_CONTENT.every((k) => s[k] === r[k]);

/** The customers, their ERP contracts and the SKUs a chunk names. */
async function references(db: Database, rows: readonly Row[]) {
  const numbers = [...new Set(rows.map((r) => r.row.customerNumber))];
  const skus = [...new Set(rows.map((r) => r.row.sku))];
  const read = await batchRead(db, {
    customers: db
      .select({ id: companies.id, number: companies.erpCustomerNumber, currency: companies.defaultCurrency })
      .from(companies)
      .where(inArray(companies.erpCustomerNumber, jsonValues(numbers))),
    contracts: db
      .select({ id: contracts.id, number: contracts.erpCustomerNumber, currency: contracts.currency })
      .from(contracts)
      .where(inArray(contracts.erpCustomerNumber, jsonValues(numbers))),
    skus: db
      .select({ sku: products.sku })
      .from(products)
      .where(inArray(products.sku, jsonValues(skus))),
  });
  return {
    customers: new Map(read.customers.map((c) => [c.number ?? '', c])),
    contracts: new Map(read.contracts.map((c) => [c.number ?? '', c])),
    skus: new Set(read.skus.map((p) => p.sku)),
  };
}

export const contractPricesSpec: ImportKindSpec<ContractPriceImportRow> = {
  kind: 'contract-prices',
  requiredColumns: CONTRACT_PRICE_REQUIRED,
  knownColumns: [...CONTRACT_PRICE_REQUIRED, ...CONTRACT_PRICE_OPTIONAL],
  parse: parseContractPrice,
  keyOf: contractPriceKey,
  versionOf: (row) => row.version,
  async apply(deps, rows, at) {
    const { db } = deps;
    const { winners, losers } = newestPerKey(rows, contractPriceKey, (r) => r.version);
    const tally = new Tally(losers);
    if (winners.length === 0) return tally.done();
    const refs = await references(db, winners);
    const accepted: { rowNo: number; row: ContractPriceImportRow; rule: RuleRecord }[] = [];
    for (const { rowNo, row } of winners) {
      const customer = refs.customers.get(row.customerNumber);
      const currency = refs.contracts.get(row.customerNumber)?.currency ?? customer?.currency ?? 'EUR';
      const minor = row.amount === null ? null : minorUnits(row.amount, currencyExponent(currency));
      if (!customer)
        tally.reject({ rowNo, column: 'customerNumber', reason: `unknown customer ${row.customerNumber}` });
      else if (!refs.skus.has(row.sku))
        tally.reject({ rowNo, column: 'sku', reason: `unknown SKU ${row.sku}` });
      else if (row.amount !== null && (minor === null || minor > MAX_MINOR))
        tally.reject({ rowNo, column: 'amount', reason: `${row.amount} is not an amount in ${currency}` });
      else accepted.push({ rowNo, row, rule: ruleRecord(row, minor, at) });
    }
    if (accepted.length === 0) return tally.done();
    // a customer's first price creates its contract (a deletion alone does not)
    const fresh = [...new Set(accepted.filter((a) => !a.row.deleted).map((a) => a.row.customerNumber))]
      .filter((n) => !refs.contracts.has(n))
      .map((n) => {
        const customer = refs.customers.get(n);
        return {
          id: newId('ctr'),
          name: `ERP contract ${n}`,
          currency: customer?.currency,
          companyId: customer?.id,
          groupId: null,
          combination: 'best_price',
          priority: 0,
          validFrom: null,
          validTo: null,
          status: 'active',
          erpCustomerNumber: n,
          createdAt: at,
          updatedAt: at,
        };
      });
    const upserts = accepted.filter((a) => !a.row.deleted).map((a) => a.rule);
    const deletes = accepted
      .filter((a) => a.row.deleted)
      .map((a) => ({ k: a.rule.erpKey, v: a.row.version }));
    const keys = accepted.map((a) => a.rule.erpKey);
    const deleteRows = JSON.stringify(deletes);
    const plan = new BatchPlan()
      .add(
        'contracts',
        fresh.length > 0
          ? [
              db
                .insert(contracts)
                .select(jsonRecords(contracts, fresh))
                .onConflictDoNothing()
                .returning({ id: contracts.id, number: contracts.erpCustomerNumber }),
            ]
          : [],
      )
      .add('rulesBefore', [
        db
          .select()
          .from(priceRules)
          .where(inArray(priceRules.erpKey, jsonValues(keys))),
      ])
      .add('tombstones', [
        db
          .select()
          .from(erpState)
          .where(inArray(erpState.key, jsonValues(keys.map((k) => TOMBSTONE + k)))),
      ])
      .add(
        'rules',
        chunks(upserts, JSON_ROWS_PER_STATEMENT).map((part) =>
          db
            .insert(priceRules)
            .select(jsonRecords(priceRules, part, { contractId: contractOfRecord }, notDeletedSince))
            .onConflictDoUpdate({
              target: priceRules.erpKey,
              set: fromExcluded(priceRules, [...RULE_CONTENT, 'erpVersion', 'updatedAt']),
              setWhere: newerThanStored(priceRules.erpVersion),
            })
            .returning({ key: priceRules.erpKey, contractId: priceRules.contractId }),
        ),
      )
      .add(
        'deleted',
        deletes.length === 0
          ? []
          : [
              db
                .delete(priceRules)
                .where(
                  sql`${priceRules.id} IN (SELECT r.id FROM json_each(${deleteRows}) j
                    JOIN price_rules r ON r.erp_key = json_extract(j.value, '$.k')
                    WHERE r.erp_version IS NULL OR r.erp_version < json_extract(j.value, '$.v'))`,
                )
                .returning({ key: priceRules.erpKey, contractId: priceRules.contractId }),
            ],
      )
      .add(
        'tombstonesWritten',
        deletes.length === 0
          ? []
          : [
              db
                .insert(erpState)
                .select(
                  sql`SELECT ${TOMBSTONE} || json_extract(value, '$.k'), CAST(json_extract(value, '$.v') AS TEXT), ${at} FROM json_each(${deleteRows}) WHERE true`,
                )
                .onConflictDoUpdate({
                  target: erpState.key,
                  set: fromExcluded(erpState, ['value', 'updatedAt']),
                  setWhere: sql`CAST(excluded.value AS INTEGER) > CAST(${erpState.value} AS INTEGER)`,
                }),
            ],
      );
    const done = await plan.run(db);
    const created = done.rows<{ id: string; number: string }>('contracts');
    const before = new Map(done.rows<StoredRule>('rulesBefore').map((r) => [r.erpKey, r]));
    const tombs = new Map(
      done
        .rows<{ key: string; value: string }>('tombstones')
        .map((t) => [t.key.slice(TOMBSTONE.length), Number(t.value)]),
    );
    const written = new Map(
      done.rows<{ key: string; contractId: string }>('rules').map((r) => [r.key, r.contractId]),
    );
    const removed = new Map(
      done.rows<{ key: string; contractId: string }>('deleted').map((r) => [r.key, r.contractId]),
    );
    const changedContracts = new Set<string>();
    for (const { rowNo, row, rule } of accepted) {
      const stored = before.get(rule.erpKey);
      const tomb = tombs.get(rule.erpKey);
      let outcome: RowOutcome;
      if (row.deleted) {
        const contractId = removed.get(rule.erpKey);
        if (contractId) changedContracts.add(contractId);
        if (contractId || (!stored && (tomb === undefined || tomb < row.version))) outcome = 'applied';
        else if (stored) outcome = notApplied(row.version, { version: stored.erpVersion, same: false });
        else outcome = tomb === row.version ? 'unchanged' : 'older';
      } else {
        const contractId = written.get(rule.erpKey);
        if (contractId && (!stored || !sameRule(stored, rule))) changedContracts.add(contractId);
        outcome = contractId
          ? 'applied'
          : notApplied(row.version, stored && { version: stored.erpVersion, same: sameRule(stored, rule) });
      }
      tally.add(rowNo, outcome);
    }
    const createdIds = new Set(created.map((c) => c.id));
    const changes: PricingChange[] = [...changedContracts]
      .filter((id) => !createdIds.has(id))
      .map((contractId) => ({ kind: 'contract', contractId }));
    if (created.length > 0) changes.unshift({ kind: 'assignments' });
    if (changes.length > 0) await pricingChanged(deps.pricing, changes, 'ERP contract prices', at);
    // a new contract moves its customer to another index: this isolate reads that at once
    if (created.length > 0) clearAssignmentCache();
    return tally.done();
  },
};
