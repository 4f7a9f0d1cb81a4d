import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';

interface PriceList {
  id: string;
  name: string;
  currency: string;
  isDefault: boolean;
  status: string;
}
interface Group {
  id: string;
  name: string;
  members: { id: string; name: string }[];
}

const rows = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

const auditActions = async (targetId: string) =>
  (
    await rows<{ action: string }>(
      'SELECT action FROM audit_log WHERE target_id = ? ORDER BY at, id',
      targetId,
    )
  ).map((r) => r.action);

let ops: string;
let rep: string;
let buyer: string;
let skus: string[];

beforeAll(async () => {
  [ops, rep, buyer] = await Promise.all([
    loginAs('ops@supplier.example'),
    loginAs('rep@supplier.example'),
    loginAs('buyer@acme.example'),
  ]);
  skus = (await rows<{ sku: string }>('SELECT sku FROM products ORDER BY sku LIMIT 3')).map((r) => r.sku);
});

async function newList(body: Record<string, unknown>): Promise<PriceList> {
  const res = await call('/v1/admin/price-lists', { method: 'POST', token: ops, body });
  expect(res.status).toBe(201);
  return json<PriceList>(res);
}

describe('price lists', () => {
  it('creates lists with at most one default per currency, renames and archives them, with audit rows', async () => {
    const first = await newList({ name: 'EUR base', currency: 'EUR', isDefault: true });
    const second = await newList({ name: 'EUR 2027', currency: 'EUR', isDefault: true });
    const gbp = await newList({ name: 'GBP base', currency: 'GBP' });
    expect(second).toMatchObject({ isDefault: true, status: 'active' });
    const defaults = await rows<{ id: string }>(
      "SELECT id FROM price_lists WHERE currency = 'EUR' AND is_default = 1 AND status = 'active'",
    );
    expect(defaults.map((d) => d.id)).toEqual([second.id]);
    expect(await json(await call(`/v1/admin/price-lists/${first.id}`, { token: rep }))).toMatchObject({
      isDefault: false,
    });

    const renamed = await call(`/v1/admin/price-lists/${gbp.id}`, {
      method: 'PATCH',
      token: ops,
      body: { name: 'GBP trade' },
    });
    expect(await json(renamed)).toMatchObject({ name: 'GBP trade', currency: 'GBP' });
    expect((await call(`/v1/admin/price-lists/${gbp.id}`, { method: 'DELETE', token: ops })).status).toBe(
      204,
    );
    await expectProblem(await call(`/v1/admin/price-lists/${gbp.id}`, { method: 'DELETE', token: ops }), 409);
    await expectProblem(
      await call(`/v1/admin/price-lists/${gbp.id}/prices`, {
        method: 'PUT',
        token: ops,
        body: { prices: [{ sku: skus[0], amountMinor: 100 }] },
      }),
      409,
    );
    expect(await auditActions(gbp.id)).toEqual([
      'price_list.create',
      'price_list.update',
      'price_list.archive',
    ]);
    const listed = await json<{ items: PriceList[] }>(await call('/v1/admin/price-lists', { token: rep }));
    expect(listed.items.find((l) => l.id === gbp.id)).toMatchObject({
      status: 'archived',
      name: 'GBP trade',
    });
  });

  it('upserts, pages and deletes list prices', async () => {
    const list = await newList({ name: 'Prices', currency: 'EUR' });
    const put = (prices: unknown[]) =>
      call(`/v1/admin/price-lists/${list.id}/prices`, { method: 'PUT', token: ops, body: { prices } });
    const [a = '', b = '', c = ''] = skus;
    expect(
      await json(
        await put([
          { sku: a, amountMinor: 1000 },
          { sku: b, amountMinor: 2000 },
          { sku: c, amountMinor: 0 },
        ]),
      ),
    ).toEqual({ priceListId: list.id, count: 3 });
    expect((await put([{ sku: b, amountMinor: 2500 }])).status).toBe(200);

    const page1 = await json<{ items: { sku: string; amountMinor: number }[]; nextCursor: string }>(
      await call(`/v1/admin/price-lists/${list.id}/prices?limit=2`, { token: rep }),
    );
    expect(page1.items.map((p) => [p.sku, p.amountMinor])).toEqual([
      [a, 1000],
      [b, 2500],
    ]);
    const page2 = await json<{ items: { sku: string }[]; nextCursor: string | null }>(
      await call(`/v1/admin/price-lists/${list.id}/prices?limit=2&cursor=${page1.nextCursor}`, {
        token: rep,
      }),
    );
    expect(page2).toMatchObject({ items: [{ sku: c }], nextCursor: null });

    const del = await call(`/v1/admin/price-lists/${list.id}/prices/${c}`, { method: 'DELETE', token: ops });
    expect(del.status).toBe(204);
    await expectProblem(
      await call(`/v1/admin/price-lists/${list.id}/prices/${c}`, { method: 'DELETE', token: ops }),
      404,
    );
    const left = await rows('SELECT sku FROM list_prices WHERE price_list_id = ?', list.id);
    expect(left).toHaveLength(2);
    expect(await auditActions(list.id)).toEqual([
      'price_list.create',
      'price_list.prices_upsert',
      'price_list.prices_upsert',
      'price_list.price_delete',
    ]);
  });

  it('rejects duplicates (400), unknown SKUs (422, every one) and unknown fields, writing nothing', async () => {
    const list = await newList({ name: 'Strict', currency: 'EUR' });
    const put = (body: unknown) =>
      call(`/v1/admin/price-lists/${list.id}/prices`, { method: 'PUT', token: ops, body });
    const dup = await expectProblem(
      await put({
        prices: [
          { sku: skus[0], amountMinor: 1 },
          { sku: skus[0], amountMinor: 2 },
        ],
      }),
      400,
    );
    expect(dup.errors).toEqual([expect.objectContaining({ path: 'prices.1.sku' })]);
    const unknown = await expectProblem(
      await put({
        prices: [
          { sku: 'NOPE-000001', amountMinor: 1 },
          { sku: skus[1], amountMinor: 2 },
          { sku: 'NOPE-000002', amountMinor: 3 },
        ],
      }),
      422,
    );
    expect(unknown.errors?.map((e) => e.path)).toEqual(['prices.0.sku', 'prices.2.sku']);
    expect(unknown.errors?.[0]?.message).toBe('no product with SKU "NOPE-000001"');
    const shape = await expectProblem(
      await put({ prices: [{ sku: skus[0], amountMinor: -1, extra: true }] }),
      400,
    );
    expect(shape.errors?.map((e) => e.path).sort()).toEqual(['prices.0.amountMinor', 'prices.0.extra']);
    await expectProblem(await put({ prices: [] }), 400);
    await expectProblem(
      await call('/v1/admin/price-lists', {
        method: 'POST',
        token: ops,
        body: { name: 'x', currency: 'eur' },
      }),
      400,
    );
    expect(await rows('SELECT sku FROM list_prices WHERE price_list_id = ?', list.id)).toHaveLength(0);
  });

  it('is written by platform admins only and read by pricing.manage holders', async () => {
    const list = await newList({ name: 'Guarded', currency: 'EUR' });
    await expectProblem(
      await call('/v1/admin/price-lists', {
        method: 'POST',
        token: rep,
        body: { name: 'Rep', currency: 'EUR' },
      }),
      403,
    );
    await expectProblem(
      await call(`/v1/admin/price-lists/${list.id}/prices`, {
        method: 'PUT',
        token: rep,
        body: { prices: [{ sku: skus[0], amountMinor: 1 }] },
      }),
      403,
    );
    await expectProblem(
      await call(`/v1/admin/price-lists/${list.id}`, { method: 'DELETE', token: rep }),
      403,
    );
    expect((await call(`/v1/admin/price-lists/${list.id}/prices`, { token: rep })).status).toBe(200);
    await expectProblem(await call('/v1/admin/price-lists', { token: buyer }), 403);
    await expectProblem(await call('/v1/admin/price-lists/pl_missing', { token: ops }), 404);
  });
});

describe('customer groups', () => {
  it('creates a group, replaces its members, refuses to delete it while a contract uses it', async () => {
    const created = await call('/v1/admin/customer-groups', {
      method: 'POST',
      token: ops,
      body: { name: 'Builders' },
    });
    expect(created.status).toBe(201);
    const group = await json<Group>(created);
    const members = (companyIds: string[]) =>
      call(`/v1/admin/customer-groups/${group.id}/members`, {
        method: 'PUT',
        token: ops,
        body: { companyIds },
      });
    expect(
      (await json<Group>(await members(['co_acme', 'co_globex']))).members.map((m) => m.id).sort(),
    ).toEqual(['co_acme', 'co_globex']);
    expect((await json<Group>(await members(['co_initech']))).members.map((m) => m.id)).toEqual([
      'co_initech',
    ]);
    const unknown = await expectProblem(await members(['co_acme', 'co_nope', 'co_nope_2']), 422);
    expect(unknown.errors?.map((e) => e.path)).toEqual(['companyIds.1', 'companyIds.2']);
    const dup = await expectProblem(await members(['co_acme', 'co_acme']), 400);
    expect(dup.errors?.map((e) => e.path)).toEqual(['companyIds.1']);
    const read = await json<Group>(await call(`/v1/admin/customer-groups/${group.id}`, { token: rep }));
    expect(read.members.map((m) => m.id)).toEqual(['co_initech']);
    const listed = await json<{ items: { id: string; memberCount: number }[] }>(
      await call('/v1/admin/customer-groups', { token: rep }),
    );
    expect(listed.items.find((g) => g.id === group.id)).toMatchObject({ memberCount: 1 });

    const contract = await call('/v1/admin/contracts', {
      method: 'POST',
      token: ops,
      body: { name: 'Builders 2026', currency: 'EUR', groupId: group.id },
    });
    expect(contract.status).toBe(201);
    await expectProblem(
      await call(`/v1/admin/customer-groups/${group.id}`, { method: 'DELETE', token: ops }),
      409,
    );
    expect(await auditActions(group.id)).toEqual([
      'customer_group.create',
      'customer_group.members_set',
      'customer_group.members_set',
    ]);
  });

  it('renames and deletes an unused group; only platform admins write', async () => {
    const group = await json<Group>(
      await call('/v1/admin/customer-groups', { method: 'POST', token: ops, body: { name: 'Temp' } }),
    );
    await expectProblem(
      await call('/v1/admin/customer-groups', { method: 'POST', token: rep, body: { name: 'Rep group' } }),
      403,
    );
    await expectProblem(
      await call(`/v1/admin/customer-groups/${group.id}/members`, {
        method: 'PUT',
        token: rep,
        body: { companyIds: ['co_acme'] },
      }),
      403,
    );
    const renamed = await call(`/v1/admin/customer-groups/${group.id}`, {
      method: 'PATCH',
      token: ops,
      body: { name: 'Temporary' },
    });
    expect(await json(renamed)).toMatchObject({ name: 'Temporary', members: [] });
    const list = await json<{ items: { id: string; memberCount: number }[] }>(
      await call('/v1/admin/customer-groups', { token: rep }),
    );
    expect(list.items.find((g) => g.id === group.id)).toMatchObject({ memberCount: 0 });
    expect(
      (await call(`/v1/admin/customer-groups/${group.id}`, { method: 'DELETE', token: ops })).status,
    ).toBe(204);
    await expectProblem(await call(`/v1/admin/customer-groups/${group.id}`, { token: ops }), 404);
    expect(await auditActions(group.id)).toEqual([
      'customer_group.create',
      'customer_group.update',
      'customer_group.delete',
    ]);
  });
});

describe('company pricing', () => {
  it('sets and clears a company price list in its currency; reps only for their accounts', async () => {
    const eur = await newList({ name: 'Acme special', currency: 'EUR' });
    const gbp = await newList({ name: 'UK special', currency: 'GBP' });
    const patch = (token: string, companyId: string, priceListId: string | null) =>
      call(`/v1/admin/companies/${companyId}/pricing`, { method: 'PATCH', token, body: { priceListId } });

    expect(await json(await patch(rep, 'co_acme', eur.id))).toEqual({
      companyId: 'co_acme',
      priceListId: eur.id,
    });
    const [acme] = await rows<{ price_list_id: string | null }>(
      "SELECT price_list_id FROM companies WHERE id = 'co_acme'",
    );
    expect(acme?.price_list_id).toBe(eur.id);
    await expectProblem(await patch(rep, 'co_initech', gbp.id), 404);
    const wrongCurrency = await expectProblem(await patch(ops, 'co_initech', eur.id), 422);
    expect(wrongCurrency.errors).toEqual([expect.objectContaining({ path: 'priceListId' })]);
    expect((await patch(ops, 'co_initech', gbp.id)).status).toBe(200);
    expect((await patch(ops, 'co_initech', null)).status).toBe(200);
    await expectProblem(await patch(ops, 'co_acme', 'pl_missing'), 422);
    await call(`/v1/admin/price-lists/${eur.id}`, { method: 'DELETE', token: ops });
    const archived = await expectProblem(await patch(ops, 'co_acme_lyon', eur.id), 422);
    expect(archived.errors?.[0]?.message).toMatch(/archived/);
    await expectProblem(await patch(buyer, 'co_acme', null), 403);
    await expectProblem(
      await call('/v1/admin/companies/co_acme/pricing', { method: 'PATCH', token: ops, body: {} }),
      400,
    );
    const audit = await rows<{ company_id: string; actor_id: string }>(
      "SELECT company_id, actor_id FROM audit_log WHERE action = 'company.pricing_update' ORDER BY at, id",
    );
    expect(audit.map((a) => a.company_id)).toEqual(['co_acme', 'co_initech', 'co_initech']);
  });
});
