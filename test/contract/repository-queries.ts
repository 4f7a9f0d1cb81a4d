import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { insertAudit, listAudit } from '../../src/db/queries/audit';
import { batchGroups } from '../../src/db/queries/bulk';
import { skuFactsFrom, skuFactsQueries } from '../../src/db/queries/cart-facts';
import { categoryTree, getProduct, listProducts } from '../../src/db/queries/catalog';
import { listCompanyRoles } from '../../src/db/queries/company-roles';
import { listCompanyUsers } from '../../src/db/queries/company-users';
import { findUserByEmail, loadUserAccess } from '../../src/db/queries/identity';
import { companyOfferQueries, companyOffersFrom, nearestGroups } from '../../src/db/queries/offers';
import {
  companyConfigFrom,
  companyConfigQueries,
  userFactQueries,
  userFactsFrom,
} from '../../src/db/queries/orders';
import { explainRules, orderingRulesOf, skusNear } from '../../src/db/queries/price-lines';
import { allPricingProducts } from '../../src/db/queries/pricing-data';
import { loadInputsCatalog } from '../../src/db/queries/pricing-inputs';
import { costCenters, priceIndexes } from '../../src/db/schema';
import { compileEntries } from '../../src/domain/pricing/compile';
import { refreshAssignments } from '../../src/services/pricing/assignments';
import { loadPricingData, parseInputs } from '../../src/services/pricing/build';
import type { PricingDeps } from '../../src/services/pricing/deps';
import { customerEntries } from '../../src/services/pricing/entries';
import { pricingChanged } from '../../src/services/pricing/invalidation';

/**
 * Every read and write shape the repositories use, one function per query family. The contract
 * (repository-contract.ts) asserts on each family separately; the D1-vs-libSQL test runs them all on both
 * and compares. Writes use fixed ids: run each family once per database.
 */

/** Times set by SQL defaults differ per database (and per run): everything else must be identical. */
function withoutCreatedAt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCreatedAt);
  if (value instanceof Set) return [...value].sort();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'createdAt')
        .map(([k, v]) => [k, withoutCreatedAt(v)]),
    );
  }
  return value;
}

async function firstSkus(db: Database) {
  const bySku = await listProducts(db, { sort: 'sku', limit: 25 });
  const first = bySku[0];
  const last = bySku.at(-1);
  if (!first || !last) throw new Error('contract needs seeded products');
  return { bySku, first, last };
}

async function catalog(db: Database) {
  const { bySku, first, last } = await firstSkus(db);
  const topCategory = first.categoryPath.split('/')[0] ?? '';
  const skus = (rows: { sku: string }[]) => rows.map((p) => p.sku);
  return {
    first: { sku: first.sku, name: first.name, topCategory },
    bySku: skus(bySku),
    nextPage: skus(
      await listProducts(db, { sort: 'sku', limit: 5, after: { key: last.sku, sku: last.sku } }),
    ),
    byNameDesc: (await listProducts(db, { sort: '-name', limit: 10 })).map((p) => [p.name, p.sku]),
    inCategory: skus(await listProducts(db, { sort: 'sku', limit: 500, category: topCategory })),
    byFamily: skus(
      await listProducts(db, { sort: 'name', limit: 50, family: first.family, status: 'active' }),
    ),
    textSearch: skus(
      await listProducts(db, { sort: 'sku', limit: 50, q: first.name.split(' ').slice(0, 2).join(' ') }),
    ),
    skuSearch: skus(await listProducts(db, { sort: 'sku', limit: 50, q: first.sku.slice(-5) })),
    product: await getProduct(db, first.sku),
    categories: await categoryTree(db),
  };
}

async function identity(db: Database) {
  const acme = { companyId: 'co_acme', db };
  return {
    user: await findUserByEmail(db, ' ADMIN@acme.example'),
    access: await loadUserAccess(db, 'usr_acme_admin'),
    companyUsers: await listCompanyUsers(acme, undefined, 50),
    companyRoles: await listCompanyRoles(acme),
  };
}

async function audit(db: Database) {
  const entry = { actorId: 'usr_x', actorKind: 'system', companyId: 'co_acme', targetType: 't' } as const;
  await db.batch([
    insertAudit(db, {
      ...entry,
      id: 'aud_contract_1',
      at: 1_000,
      action: 'contract.a',
      targetId: 'x1',
      summary: 'one',
      requestId: 'r1',
    }),
    insertAudit(db, {
      ...entry,
      id: 'aud_contract_2',
      at: 2_000,
      action: 'contract.b',
      targetId: 'x2',
      summary: 'two',
      requestId: 'r2',
    }),
  ]);
  return {
    byAction: await listAudit(db, { companyId: 'co_acme', action: 'contract.b', limit: 10 }),
    inRange: await listAudit(db, { companyId: 'co_acme', from: 500, to: 1_500, limit: 10 }),
  };
}

async function atomicBatch(db: Database) {
  let batchFailed = false;
  try {
    // The second statement violates the unique code: the whole batch must roll back.
    await db.batch([
      db
        .insert(costCenters)
        .values({ id: 'cc_contract_1', companyId: 'co_acme', code: 'CC-CONTRACT', name: 'A' }),
      db
        .insert(costCenters)
        .values({ id: 'cc_contract_2', companyId: 'co_acme', code: 'CC-CONTRACT', name: 'B' }),
    ]);
  } catch {
    batchFailed = true;
  }
  const leftovers = await db.select().from(costCenters).where(eq(costCenters.code, 'CC-CONTRACT'));
  return { batchFailed, leftovers };
}

/**
 * The pricing SQL: resolving every company's inputs, the JSON-path invalidation update, the SQL fallback
 * and a full index compile. The queue is recorded (Node has no Queue binding) and KV is never touched.
 */
async function pricing(db: Database) {
  const NOW = Date.UTC(2026, 11, 1);
  const skus = (await firstSkus(db)).bySku.map((p) => p.sku);
  const sent: unknown[] = [];
  const queue = {
    send: async (body: unknown) => void sent.push(body),
    sendBatch: async (messages: Iterable<{ body: unknown }>) =>
      void sent.push(...[...messages].map((m) => m.body)),
  } as unknown as Queue;
  const kv = new Proxy(
    {},
    {
      get: () => {
        throw new Error('the SQL path must not read KV');
      },
    },
  ) as KVNamespace;
  const deps: PricingDeps = { db, kv, queue };
  const inputsCatalog = await loadInputsCatalog(db);
  const assigned = await refreshAssignments(deps, 'contract test', NOW);
  const again = await refreshAssignments(deps, 'contract test', NOW);
  const rows = await db.select().from(priceIndexes).orderBy(priceIndexes.fingerprint);
  const acme = rows.find((r) => parseInputs(r.inputs).contractIds.includes('ctr_acme'));
  if (!acme) throw new Error('no index row for Acme');
  const fallback = await customerEntries(deps, acme.fingerprint, skus, NOW, { source: 'sql' });
  const invalidated = await pricingChanged(
    deps,
    [{ kind: 'contract', contractId: 'ctr_acme' }],
    'contract test',
    NOW,
  );
  const data = await loadPricingData(deps, parseInputs(acme.inputs));
  const compiled = compileEntries(await allPricingProducts(db), data, NOW);
  const ruleIds = compiled.entries.flatMap((e) => e.ladder.flatMap((s) => s.ruleIds)).slice(0, 50);
  return {
    companies: [...inputsCatalog.companies.keys()].sort(),
    contracts: inputsCatalog.contracts.map((c) => c.id).sort(),
    assigned: { changed: assigned.changedCompanies.sort(), fresh: assigned.newFingerprints.sort() },
    secondRun: again,
    indexes: rows.map((r) => ({
      fingerprint: r.fingerprint,
      inputs: r.inputs,
      requested: r.requestedGeneration,
    })),
    fallback: [...fallback.entries],
    invalidated,
    compiled: {
      count: compiled.entries.length,
      validUntil: compiled.validUntil,
      sample: compiled.entries.slice(0, 30),
    },
    ordering: [...(await orderingRulesOf(db, skus)).values()],
    explained: [...(await explainRules(db, ruleIds)).values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    near: await skusNear(db, skus[0] ?? ''),
    sent: sent.length,
  };
}

/**
 * What a checkout or a cart answer reads, in ONE batch of groups (one left out): the company's checkout
 * configuration, a user's facts, product facts with stock, and the offers of a child company, whose
 * groups come from its parent (the recursive ancestry subquery).
 */
async function checkoutReads(db: Database) {
  const NOW = Date.UTC(2026, 11, 1);
  const skus = (await firstSkus(db)).bySku.slice(0, 5).map((p) => p.sku);
  const rows = await batchGroups(db, {
    config: companyConfigQueries(db, 'co_acme'),
    user: userFactQueries(db, 'co_acme', 'usr_acme_buyer', NOW),
    products: skuFactsQueries(db, [...skus, 'NO-SUCH-SKU']),
    offers: companyOfferQueries(db, 'co_acme_lyon', NOW),
    leftOut: null,
  });
  const config = companyConfigFrom(rows.config);
  return {
    config: {
      sites: [...config.siteIds].sort(),
      defaultShipTo: config.defaultShipTo,
      costCenters: [...config.costCenterIds].sort(),
      costCenterRequired: config.costCenterRequired,
      policies: config.policies.map((p) => p.id),
      budgets: config.budgets.map((b) => b.id).sort(),
    },
    user: userFactsFrom(rows.user, NOW),
    products: [...skuFactsFrom(rows.products).values()].sort((a, b) => (a.sku < b.sku ? -1 : 1)),
    lyonGroups: nearestGroups('co_acme_lyon', rows.offers.chain, rows.offers.members),
    lyonOffers: companyOffersFrom('co_acme_lyon', rows.offers).map((o) => o.id),
    leftOut: rows.leftOut,
  };
}

const FAMILIES = { catalog, identity, audit, atomicBatch, pricing, checkoutReads };
export type QueryFamily = keyof typeof FAMILIES;
export const QUERY_FAMILIES = Object.keys(FAMILIES) as QueryFamily[];

/** One family's queries on `db`, results as the query functions return them. */
export function runFamily<F extends QueryFamily>(db: Database, family: F): ReturnType<(typeof FAMILIES)[F]> {
  return FAMILIES[family](db) as ReturnType<(typeof FAMILIES)[F]>;
}

/** Every family in a fixed order, creation times left out: what two databases must agree on exactly. */
export async function runContractQueries(db: Database): Promise<Record<QueryFamily, unknown>> {
  const results: Partial<Record<QueryFamily, unknown>> = {};
  for (const family of QUERY_FAMILIES) results[family] = withoutCreatedAt(await runFamily(db, family));
  return results as Record<QueryFamily, unknown>;
}
