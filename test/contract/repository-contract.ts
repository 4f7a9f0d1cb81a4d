import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { insertAudit, listAudit } from '../../src/db/queries/audit';
import { categoryTree, getProduct, listProducts } from '../../src/db/queries/catalog';
import { listCompanyRoles } from '../../src/db/queries/company-roles';
import { listCompanyUsers } from '../../src/db/queries/company-users';
import { findUserByEmail, loadUserAccess } from '../../src/db/queries/identity';
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

/**
 * Runs every read and write shape the repositories use and returns their results. Called on D1 and on
 * libSQL, which must agree exactly. Writes use fixed ids so both sides can be compared.
 */
export async function runContractQueries(db: Database): Promise<Record<string, unknown>> {
  const acme = { companyId: 'co_acme', db };
  const bySku = await listProducts(db, { sort: 'sku', limit: 25 });
  const last = bySku.at(-1);
  const first = bySku[0];
  if (!first || !last) throw new Error('contract needs seeded products');
  const topCategory = first.categoryPath.split('/')[0] ?? '';

  await db.batch([
    insertAudit(db, {
      id: 'aud_contract_1',
      at: 1_000,
      actorId: 'usr_x',
      actorKind: 'system',
      companyId: 'co_acme',
      action: 'contract.a',
      targetType: 't',
      targetId: 'x1',
      summary: 'one',
      requestId: 'r1',
    }),
    insertAudit(db, {
      id: 'aud_contract_2',
      at: 2_000,
      actorId: 'usr_x',
      actorKind: 'system',
      companyId: 'co_acme',
      action: 'contract.b',
      targetType: 't',
      targetId: 'x2',
      summary: 'two',
      requestId: 'r2',
    }),
  ]);
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

  const pricing = await runPricingQueries(
    db,
    bySku.map((p) => p.sku),
  );

  return withoutCreatedAt({
    pricing,
    bySku: bySku.map((p) => p.sku),
    nextPage: (
      await listProducts(db, { sort: 'sku', limit: 5, after: { key: last.sku, sku: last.sku } })
    ).map((p) => p.sku),
    byNameDesc: (await listProducts(db, { sort: '-name', limit: 10 })).map((p) => [p.name, p.sku]),
    inCategory: (await listProducts(db, { sort: 'sku', limit: 500, category: topCategory })).map(
      (p) => p.sku,
    ),
    byFamily: (
      await listProducts(db, { sort: 'name', limit: 50, family: first.family, status: 'active' })
    ).map((p) => p.sku),
    textSearch: (
      await listProducts(db, { sort: 'sku', limit: 50, q: first.name.split(' ').slice(0, 2).join(' ') })
    ).map((p) => p.sku),
    skuSearch: (await listProducts(db, { sort: 'sku', limit: 50, q: first.sku.slice(-5) })).map((p) => p.sku),
    product: await getProduct(db, first.sku),
    categories: await categoryTree(db),
    user: await findUserByEmail(db, ' ADMIN@acme.example'),
    access: await loadUserAccess(db, 'usr_acme_admin'),
    companyUsers: await listCompanyUsers(acme, undefined, 50),
    companyRoles: await listCompanyRoles(acme),
    audit: await listAudit(db, { companyId: 'co_acme', action: 'contract.b', limit: 10 }),
    auditRange: await listAudit(db, { companyId: 'co_acme', from: 500, to: 1_500, limit: 10 }),
    batchFailed,
    leftovers,
  }) as Record<string, unknown>;
}

/**
 * The pricing SQL: resolving every company's inputs, the JSON-path invalidation update, the SQL fallback
 * and a full index compile. The queue is recorded (Node has no Queue binding) and KV is never touched.
 */
async function runPricingQueries(db: Database, skus: string[]) {
  const NOW = Date.UTC(2026, 11, 1);
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
  const catalog = await loadInputsCatalog(db);
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
    companies: [...catalog.companies.keys()].sort(),
    contracts: catalog.contracts.map((c) => c.id).sort(),
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

/** Assertions every database must satisfy on the demo data; the same block runs on D1 and on libSQL. */
export function defineRepositoryContract(label: string, getDb: () => Database) {
  describe(`repository contract on ${label}`, () => {
    it('answers every query shape as the repositories expect', async () => {
      const r = (await runContractQueries(getDb())) as Record<string, unknown[] | unknown>;
      const bySku = r.bySku as string[];
      expect(bySku).toHaveLength(25);
      expect([...bySku].sort()).toEqual(bySku);
      expect((r.nextPage as string[]).every((sku) => sku > (bySku.at(-1) ?? ''))).toBe(true);
      expect((r.inCategory as string[]).length).toBeGreaterThan(0);
      expect(r.textSearch as string[]).toContain(bySku[0]);
      expect(r.skuSearch as string[]).toContain(bySku[0]);
      expect(r.product).toMatchObject({ product: { sku: bySku[0] }, stock: expect.any(Array) });
      expect(r.user).toMatchObject({ id: 'usr_acme_admin', email: 'admin@acme.example' });
      expect(r.access).toMatchObject({ roleKeys: ['admin'], user: { id: 'usr_acme_admin' } });
      expect((r.companyUsers as { email: string }[]).every((u) => u.email.endsWith('@acme.example'))).toBe(
        true,
      );
      expect(r.audit).toEqual([expect.objectContaining({ id: 'aud_contract_2' })]);
      expect(r.auditRange).toEqual([expect.objectContaining({ id: 'aud_contract_1' })]);
      expect(r.batchFailed).toBe(true);
      expect(r.leftovers).toEqual([]);
      const pricing = r.pricing as {
        assigned: { changed: string[]; fresh: string[] };
        secondRun: { changedCompanies: string[]; newFingerprints: string[] };
        invalidated: string[];
        fallback: [string, unknown][];
        compiled: { count: number };
        explained: unknown[];
      };
      expect(pricing.assigned.changed).toContain('co_acme');
      expect(pricing.assigned.fresh.length).toBeGreaterThanOrEqual(3);
      expect(pricing.secondRun).toEqual({ changedCompanies: [], newFingerprints: [] });
      expect(pricing.invalidated).toHaveLength(1);
      expect(pricing.fallback.filter(([, entry]) => entry !== null).length).toBeGreaterThan(10);
      expect(pricing.compiled.count).toBeGreaterThan(500);
      expect(pricing.explained.length).toBeGreaterThan(0);
    });
  });
}
