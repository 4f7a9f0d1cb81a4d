import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, json, loginAs } from './harness';
import { buildFor, first } from './pricing-helpers';

interface Line {
  id: string;
  sku: string;
  quantity: number;
  unitMinor: number | null;
  listMinor: number | null;
  lineTotalMinor: number | null;
  savingsMinor: number | null;
  tierMinQuantity: number | null;
  ruleId: string | null;
  problems: {
    code: string;
    nearestValidQuantity?: number;
    replacement?: string;
    availableQuantity?: number;
  }[];
}
interface Cart {
  id: string;
  name: string | null;
  current: boolean;
  shared: boolean;
  version: number;
  currency: string;
  lines: Line[];
  totals: {
    subtotalMinor: number;
    savingsMinor: number;
    lineCount: number;
    blockingLines: number;
    orderable: boolean;
  };
}

let buyer: string;
let tiered: string;
let plain: { sku: string; order_multiple: number };

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  tiered = (
    await first<{ target: string }>(
      "SELECT target FROM price_rules WHERE contract_id = 'ctr_acme' AND target_type = 'sku' AND kind = 'discount' AND min_quantity = 100 LIMIT 1",
    )
  ).target;
  plain = await first<{ sku: string; order_multiple: number }>(
    "SELECT sku, order_multiple FROM products WHERE status = 'active' AND order_multiple > 1 AND category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' AND family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable') LIMIT 1",
  );
});

const get = async (token: string, id: string) => {
  const res = await call(`/v1/carts/${id}`, { token });
  expect(res.status).toBe(200);
  return { cart: await json<Cart>(res), etag: res.headers.get('etag') ?? '' };
};

const addLines = (token: string, id: string, lines: unknown[], ifMatch?: string) =>
  call(`/v1/carts/${id}/lines`, {
    method: 'POST',
    token,
    body: { lines },
    headers: ifMatch ? { 'if-match': ifMatch } : {},
  });

describe('the current cart', () => {
  it('exists for every user, is priced from the index at each line’s quantity tier, and bumps its version', async () => {
    const { cart: empty, etag } = await get(buyer, 'current');
    expect(empty).toMatchObject({ current: true, name: null, currency: 'EUR', lines: [] });
    expect(etag).toBe(`"${empty.version}"`);
    const res = await addLines(buyer, 'current', [
      { sku: tiered, quantity: 150 },
      { sku: plain.sku, quantity: plain.order_multiple },
    ]);
    expect(res.status).toBe(200);
    const cart = await json<Cart>(res);
    expect(cart.version).toBe(empty.version + 1);
    const line = cart.lines.find((l) => l.sku === tiered);
    expect(line).toMatchObject({ quantity: 150, tierMinQuantity: 100 });
    expect(line?.lineTotalMinor).toBe((line?.unitMinor ?? 0) * 150);
    expect(line?.savingsMinor).toBe(((line?.listMinor ?? 0) - (line?.unitMinor ?? 0)) * 150);
    expect(cart.totals.subtotalMinor).toBe(cart.lines.reduce((s, l) => s + (l.lineTotalMinor ?? 0), 0));

    // the same SKU again adds up, still one line
    const again = await json<Cart>(await addLines(buyer, 'current', [{ sku: tiered, quantity: 50 }]));
    expect(again.lines.filter((l) => l.sku === tiered)).toHaveLength(1);
    expect(again.lines.find((l) => l.sku === tiered)?.quantity).toBe(200);
  });

  it('names each line’s problem: not a multiple (with the nearest valid quantity), obsolete (with replacement)', async () => {
    const { cart } = await get(buyer, 'current');
    const line = cart.lines.find((l) => l.sku === plain.sku);
    if (!line) throw new Error('line expected');
    const patched = await json<Cart>(
      await call(`/v1/carts/current/lines/${line.id}`, {
        method: 'PATCH',
        token: buyer,
        body: { quantity: plain.order_multiple + 1 },
      }),
    );
    const problem = patched.lines
      .find((l) => l.sku === plain.sku)
      ?.problems.find((p) => p.code !== 'short_stock');
    expect(problem).toEqual({
      code: expect.stringMatching(/not_a_multiple|below_minimum/),
      nearestValidQuantity: plain.order_multiple * 2,
    });
    expect(patched.totals.orderable).toBe(false);
    const obsolete = await first<{ sku: string; replacement_sku: string }>(
      "SELECT sku, replacement_sku FROM products WHERE status = 'obsolete' AND replacement_sku IS NOT NULL AND category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' LIMIT 1",
    );
    const withObsolete = await json<Cart>(
      await addLines(buyer, 'current', [{ sku: obsolete.sku, quantity: 1 }]),
    );
    expect(withObsolete.lines.find((l) => l.sku === obsolete.sku)?.problems[0]).toMatchObject({
      code: 'obsolete',
    });
  });

  it('refuses a stale If-Match with 409 and changes nothing', async () => {
    const { cart, etag } = await get(buyer, 'current');
    const stale = `"${cart.version - 1}"`;
    await expectProblem(await addLines(buyer, 'current', [{ sku: tiered, quantity: 1 }], stale), 409);
    const after = await get(buyer, 'current');
    expect(after.cart.version).toBe(cart.version);
    expect((await addLines(buyer, 'current', [{ sku: tiered, quantity: 1 }], etag)).status).toBe(200);
  });

  it('rejects bad lines with their paths, and products outside the assortment as unknown', async () => {
    const problem = await expectProblem(
      await addLines(buyer, 'current', [
        { sku: tiered, quantity: 0 },
        { sku: '', quantity: 1 },
        { sku: tiered, quantity: 2.5 },
      ]),
      400,
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'lines.0.quantity',
      'lines.1.sku',
      'lines.2.quantity',
    ]);
    const hidden = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE category_path LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%' LIMIT 1",
    );
    const refused = await expectProblem(
      await addLines(buyer, 'current', [
        { sku: tiered, quantity: 1 },
        { sku: hidden.sku, quantity: 1 },
        { sku: 'NOPE-000000', quantity: 1 },
      ]),
      422,
    );
    expect(refused.errors?.map((e) => e.path)).toEqual(['lines.1.sku', 'lines.2.sku']);
    await expectProblem(
      await call('/v1/carts/current', { token: buyer, headers: { 'if-match': 'banana' }, method: 'DELETE' }),
      400,
    );
  });
});

describe('saved and shared carts', () => {
  it('saves a named copy, shares it with the company, and only the owner renames or deletes it', async () => {
    const created = await call('/v1/carts', {
      method: 'POST',
      token: buyer,
      body: { name: 'Chantier Part-Dieu', copyFrom: 'current' },
    });
    expect(created.status).toBe(201);
    const saved = await json<Cart>(created);
    const { cart: current } = await get(buyer, 'current');
    expect(saved.lines.map((l) => [l.sku, l.quantity])).toEqual(
      current.lines.map((l) => [l.sku, l.quantity]),
    );
    expect(saved).toMatchObject({ name: 'Chantier Part-Dieu', current: false, shared: false });

    const approver = await loginAs('approver@acme.example');
    await expectProblem(await call(`/v1/carts/${saved.id}`, { token: approver }), 404);
    const shared = await json<Cart>(
      await call(`/v1/carts/${saved.id}`, { method: 'PATCH', token: buyer, body: { shared: true } }),
    );
    expect(shared.shared).toBe(true);
    const seen = await json<{ items: { id: string }[] }>(await call('/v1/carts', { token: approver }));
    expect(seen.items.map((c) => c.id)).toContain(saved.id);
    await expectProblem(
      await call(`/v1/carts/${saved.id}`, { method: 'PATCH', token: approver, body: { name: 'Mine now' } }),
      403,
    );
    await expectProblem(await call(`/v1/carts/${saved.id}`, { method: 'DELETE', token: approver }), 403);
    // a shared cart can be resumed and filled by a colleague
    expect((await addLines(approver, saved.id, [{ sku: tiered, quantity: 1 }])).status).toBe(200);

    expect((await call(`/v1/carts/${saved.id}`, { method: 'DELETE', token: buyer })).status).toBe(204);
    await expectProblem(await call(`/v1/carts/${saved.id}`, { token: buyer }), 404);
  });

  it('needs cart.manage, and another company’s cart does not exist', async () => {
    const ops = await loginAs('ops@supplier.example');
    const created = await json<{ key: string }>(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'read only', companyId: 'co_acme', scopes: ['orders:read'] },
      }),
    );
    await expectProblem(await call('/v1/carts', { token: created.key }), 403);
    const { cart } = await get(buyer, 'current');
    const globex = await loginAs('buyer@globex.example');
    await expectProblem(await call(`/v1/carts/${cart.id}`, { token: globex }), 404);
    await expectProblem(await addLines(globex, cart.id, [{ sku: tiered, quantity: 1 }]), 404);
  });
});
