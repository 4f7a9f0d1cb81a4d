import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from '../harness';
import { buildFor, plainAcmeProduct } from '../pricing-helpers';

/** One test per row of the scope table in docs/api.md ("API keys"). */
let ops = '';
let sku = '';
let buyerOrder = '';

const newKey = async (companyId: string | null, scopes: string[]) => {
  const res = await call('/v1/admin/api-keys', {
    method: 'POST',
    token: ops,
    body: { name: `Key ${scopes.join(' ')}`, companyId, scopes },
  });
  if (res.status !== 201) throw new Error(`key: ${res.status} ${await res.text()}`);
  return (await json<{ key: string; id: string }>(res)).key;
};
const keyProblem = async (companyId: string | null, scopes: string[]) =>
  expectProblem(
    await call('/v1/admin/api-keys', { method: 'POST', token: ops, body: { name: 'K', companyId, scopes } }),
    400,
  );
const acme = { 'x-company-id': 'co_acme' };

beforeAll(async () => {
  ops = await loginAs('ops@supplier.example');
  await buildFor('co_acme');
  sku = (await plainAcmeProduct()).sku;
  const buyer = await loginAs('buyer@acme.example');
  await call('/v1/carts/current/lines', {
    method: 'POST',
    token: buyer,
    body: { lines: [{ sku, quantity: 1 }] },
  });
  const placed = await call('/v1/carts/current/checkout', {
    method: 'POST',
    token: buyer,
    body: {},
    headers: { 'idempotency-key': 'key-scopes-buyer' },
  });
  buyerOrder = (await json<{ orderId: string }>(placed)).orderId;
});

describe('API key scopes', () => {
  it('scopes that could do nothing are refused when the key is made', async () => {
    for (const [companyId, scopes] of [
      ['co_acme', ['catalog:read', 'erp:write']],
      [null, ['catalog:read', 'punchout']],
      [null, ['orders:write']],
    ] as const) {
      const problem = await keyProblem(companyId, [...scopes]);
      expect(problem.errors?.map((e) => e.path)).toEqual([`scopes.${scopes.length - 1}`]);
    }
  });

  it('catalog:read — a company key sees and prices its catalog; a platform key any customer’s view', async () => {
    const company = await newKey('co_acme', ['catalog:read']);
    const page = await json<{ items: { price?: unknown }[] }>(
      await call('/v1/catalog/products?limit=1', { token: company }),
    );
    expect(page.items[0]?.price).toBeDefined();
    const priced = await call('/v1/prices', {
      method: 'POST',
      token: company,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    expect(priced.status).toBe(200);
    await expectProblem(await call('/v1/orders', { token: company }), 403);
    await expectProblem(await call('/v1/carts/current', { token: company }), 403);

    const platform = await newKey(null, ['catalog:read']);
    const whole = await json<{ items: { price?: unknown }[] }>(
      await call('/v1/catalog/products?limit=1', { token: platform }),
    );
    expect(whole.items[0]?.price).toBeUndefined();
    const forAcme = await call('/v1/catalog/products?limit=1', { token: platform, headers: acme });
    expect(forAcme.status).toBe(200);
    expect((await json<{ items: { price?: unknown }[] }>(forAcme)).items[0]?.price).toBeDefined();
    const acmePrices = await call('/v1/prices', {
      method: 'POST',
      token: platform,
      headers: acme,
      body: { lines: [{ sku, quantity: 1 }] },
    });
    expect(acmePrices.status).toBe(200);
  });

  it('orders:read — every order of the company (amounts with catalog:read too); a platform key names the company', async () => {
    const company = await newKey('co_acme', ['orders:read']);
    const list = await json<{ items: { id: string; status: string; totalMinor?: number }[] }>(
      await call('/v1/orders', { token: company }),
    );
    const seen = list.items.find((o) => o.id === buyerOrder);
    expect(seen?.status).toBe('placed');
    expect(seen).not.toHaveProperty('totalMinor');
    expect((await call(`/v1/orders/${buyerOrder}`, { token: company })).status).toBe(200);
    const withPrices = await newKey('co_acme', ['orders:read', 'catalog:read']);
    const priced = await json<{ totalMinor: number }>(
      await call(`/v1/orders/${buyerOrder}`, { token: withPrices }),
    );
    expect(priced.totalMinor).toBeGreaterThan(0);
    await expectProblem(await call('/v1/carts/current', { token: company }), 403);

    const platform = await newKey(null, ['orders:read']);
    const forAcme = await call('/v1/orders', { token: platform, headers: acme });
    expect(forAcme.status).toBe(200);
    expect((await json<{ items: { id: string }[] }>(forAcme)).items.map((o) => o.id)).toContain(buyerOrder);
    expect((await call(`/v1/orders/${buyerOrder}`, { token: platform, headers: acme })).status).toBe(200);
    await expectProblem(await call('/v1/orders', { token: platform }), 400);
    await expectProblem(
      await call(`/v1/orders/${buyerOrder}`, { token: platform, headers: { 'x-company-id': 'co_globex' } }),
      404,
    );
  });

  it('orders:write — a company key fills its own cart and places an order it can then read', async () => {
    const key = await newKey('co_acme', ['orders:write']);
    const added = await call('/v1/carts/current/lines', {
      method: 'POST',
      token: key,
      body: { lines: [{ sku, quantity: 3 }] },
    });
    expect(added.status).toBe(200);
    const placed = await call('/v1/carts/current/checkout', {
      method: 'POST',
      token: key,
      body: {},
      headers: { 'idempotency-key': 'key-order-1' },
    });
    expect(placed.status).toBe(201);
    const { orderId } = await json<{ orderId: string }>(placed);
    const order = await json<{ placedBy: string; lineCount: number }>(
      await call(`/v1/orders/${orderId}`, { token: key }),
    );
    expect(order.lineCount).toBe(1);
    expect(order.placedBy).toMatch(/^key_/);
    // only its own orders, like a buyer; the buyer's order stays out of reach
    await expectProblem(await call(`/v1/orders/${buyerOrder}`, { token: key }), 404);

    // each key has its own cart: another key of the same company starts empty
    const other = await newKey('co_acme', ['orders:write']);
    const cart = await json<{ lines: unknown[] }>(await call('/v1/carts/current', { token: other }));
    expect(cart.lines).toEqual([]);
  });
});
