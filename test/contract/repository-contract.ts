import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { insertAudit, listAudit } from '../../src/db/queries/audit';
import { categoryTree, getProduct, listProducts } from '../../src/db/queries/catalog';
import { listCompanyRoles } from '../../src/db/queries/company-roles';
import { listCompanyUsers } from '../../src/db/queries/company-users';
import { findUserByEmail, loadUserAccess } from '../../src/db/queries/identity';
import { costCenters } from '../../src/db/schema';

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

  return withoutCreatedAt({
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
    });
  });
}
