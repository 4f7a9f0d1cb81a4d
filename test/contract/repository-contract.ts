import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { type QueryFamily, runFamily } from './repository-queries';

/**
 * Assertions every database must satisfy on the demo data; the same cases run on D1 (workerd) and on libSQL
 * (Node). One case per query family, so a broken query shows up by name, next to the others' results.
 */
export function defineRepositoryContract(label: string, getDb: () => Database) {
  // each family's queries run once per database (their writes use fixed ids), on first use by a case
  const runs = new Map<QueryFamily, Promise<unknown>>();
  const results = <F extends QueryFamily>(family: F): ReturnType<typeof runFamily<F>> => {
    const run = runs.get(family) ?? runFamily(getDb(), family);
    runs.set(family, run);
    return run as ReturnType<typeof runFamily<F>>;
  };

  describe(`repository contract on ${label}`, () => {
    it('catalog: keyset pages in SKU order, and name order descending with the SKU breaking ties', async () => {
      const r = await results('catalog');
      expect(r.bySku).toHaveLength(25);
      expect([...r.bySku].sort()).toEqual(r.bySku);
      expect(r.nextPage).toHaveLength(5);
      expect(r.nextPage.every((sku) => sku > (r.bySku.at(-1) ?? ''))).toBe(true);
      const descending = r.byNameDesc.every(
        ([name, sku], i) =>
          i === 0 || [name, sku].join('\u0000') < (r.byNameDesc[i - 1] ?? []).join('\u0000'),
      );
      expect(descending).toBe(true);
    });

    it('catalog: category, family, text and SKU filters', async () => {
      const r = await results('catalog');
      expect(r.inCategory).toContain(r.first.sku);
      expect(r.byFamily).toContain(r.first.sku);
      expect(r.textSearch).toContain(r.first.sku);
      expect(r.skuSearch).toContain(r.first.sku);
    });

    it('catalog: one product with its stock, and the category tree', async () => {
      const r = await results('catalog');
      expect(r.product).toMatchObject({ product: { sku: r.first.sku }, stock: expect.any(Array) });
      expect(r.categories.map((c) => c.path)).toContain(r.first.topCategory);
    });

    it('identity: a user by email (trimmed, any case) with roles, permissions and company status', async () => {
      const r = await results('identity');
      expect(r.user).toMatchObject({ id: 'usr_acme_admin', email: 'admin@acme.example' });
      expect(r.access).toMatchObject({
        roleKeys: ['admin'],
        user: { id: 'usr_acme_admin' },
        companyStatus: 'active',
      });
      expect(r.access?.permissions.size).toBeGreaterThan(0);
    });

    it("company users and roles: only the company's own, built-in roles with their permissions", async () => {
      const r = await results('identity');
      expect(r.companyUsers.length).toBeGreaterThan(0);
      expect(r.companyUsers.every((u) => u.email.endsWith('@acme.example'))).toBe(true);
      expect(r.companyRoles.find((role) => role.key === 'admin')?.permissions.length).toBeGreaterThan(0);
    });

    it('audit: entries filtered by action and by an inclusive time range', async () => {
      const r = await results('audit');
      expect(r.byAction).toEqual([expect.objectContaining({ id: 'aud_contract_2' })]);
      expect(r.inRange).toEqual([expect.objectContaining({ id: 'aud_contract_1' })]);
    });

    it('a batch with one failing statement rolls back all of them', async () => {
      expect(await results('atomicBatch')).toEqual({ batchFailed: true, leftovers: [] });
    });

    it('checkout reads: configuration, user facts, products with stock and inherited offers in one batch', async () => {
      const r = await results('checkoutReads');
      expect(r.config).toMatchObject({ defaultShipTo: 'site_acme_usine', costCenterRequired: null });
      expect(r.config.sites).toContain('site_acme_stock');
      expect(r.user).toMatchObject({ orderLimitMinor: 500_000, periodLimit: null, capBounds: null });
      expect(r.products).toHaveLength(5);
      expect(r.products.every((p) => Number.isInteger(p.onHand) && p.minOrderQty >= 1)).toBe(true);
      // Acme Lyon has no membership of its own: it gets its parent's group, and that group's offer
      expect(r.lyonGroups).toEqual(['grp_construction']);
      expect(r.lyonOffers).toContain('off_construction_b10g1');
      expect(r.leftOut).toBeNull();
    });

    it('pricing: every company gets a fingerprint once; a second run changes nothing', async () => {
      const r = await results('pricing');
      expect(r.assigned.changed).toContain('co_acme');
      expect(r.assigned.fresh.length).toBeGreaterThanOrEqual(3);
      expect(r.secondRun).toEqual({ changedCompanies: [], newFingerprints: [] });
    });

    it('pricing: a contract change invalidates its index; SQL fallback, compile and rule explanations', async () => {
      const r = await results('pricing');
      expect(r.invalidated).toHaveLength(1);
      expect(r.fallback.filter(([, entry]) => entry !== null).length).toBeGreaterThan(10);
      expect(r.compiled.count).toBeGreaterThan(500);
      expect(r.explained.length).toBeGreaterThan(0);
    });
  });
}
